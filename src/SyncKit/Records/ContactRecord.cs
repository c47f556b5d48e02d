namespace SyncKit.Records;

/// <summary>A customer and/or supplier (Xero Contact).</summary>
public sealed record ContactRecord : SyncRecord
{
    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.Contact;

    /// <inheritdoc />
    public override string DisplayName => Name;

    /// <summary>The contact's name; unique across the ledger's active contacts.</summary>
    public required string Name { get; init; }

    /// <summary>The host's customer or supplier number.</summary>
    public string? AccountNumber { get; init; }

    /// <summary>The main email address.</summary>
    public string? Email { get; init; }

    /// <summary>The phone number.</summary>
    public string? Phone { get; init; }

    /// <summary>The tax number (ABN, GST or VAT number).</summary>
    public string? TaxNumber { get; init; }

    /// <summary>Whether the contact is a customer.</summary>
    public bool IsCustomer { get; init; } = true;

    /// <summary>Whether the contact is a supplier (vendor).</summary>
    public bool IsSupplier { get; init; }

    /// <summary>The billing or primary contact person; a missing one is recorded as a warning.</summary>
    public ContactPerson? BillingContact { get; init; }

    /// <summary>The host's payment terms key (mapped through <c>MappingKind.PaymentTerms</c>).</summary>
    public string? PaymentTermsKey { get; init; }

    /// <summary>The postal address.</summary>
    public PostalAddress? Address { get; init; }

    /// <summary>The contact's default currency (ISO 4217).</summary>
    public string? DefaultCurrency { get; init; }
}

/// <summary>A product or service in the inventory list (Xero Item).</summary>
public sealed record ItemRecord : SyncRecord
{
    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.Item;

    /// <inheritdoc />
    public override string DisplayName => Code;

    /// <summary>The item code, unique in the ledger.</summary>
    public required string Code { get; init; }

    /// <summary>The item name.</summary>
    public required string Name { get; init; }

    /// <summary>A longer description used on sales lines.</summary>
    public string? Description { get; init; }

    /// <summary>Whether the item is sold.</summary>
    public bool IsSold { get; init; } = true;

    /// <summary>Whether the item is purchased.</summary>
    public bool IsPurchased { get; init; }

    /// <summary>The sale unit price (4 decimal places).</summary>
    public decimal? SalePrice { get; init; }

    /// <summary>The host's GL key of the sales account.</summary>
    public string? SalesAccountKey { get; init; }

    /// <summary>The host's tax key for sales.</summary>
    public string? SalesTaxKey { get; init; }

    /// <summary>The purchase unit price (4 decimal places).</summary>
    public decimal? PurchasePrice { get; init; }

    /// <summary>The host's GL key of the purchases account.</summary>
    public string? PurchaseAccountKey { get; init; }

    /// <summary>The host's tax key for purchases.</summary>
    public string? PurchaseTaxKey { get; init; }
}
