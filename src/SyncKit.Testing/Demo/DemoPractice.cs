using System.Globalization;
using SyncKit.Connectors;
using SyncKit.Mapping;
using SyncKit.Records;

namespace SyncKit.Testing.Demo;

/// <summary>The seed problems the demo data set contains, one record each.</summary>
public static class DemoProblems
{
    /// <summary>A cost whose organisation is not mapped to a Practice Manager client.</summary>
    public const string UnmappedOrganisation = "cost-unmapped-organisation";

    /// <summary>A cost on a job that is Completed.</summary>
    public const string JobNotInProgress = "cost-job-completed";

    /// <summary>A cost on a job deleted in Practice Manager.</summary>
    public const string JobDeleted = "cost-job-deleted";

    /// <summary>A cost dated in a locked WIP period.</summary>
    public const string WipLocked = "cost-wip-locked";

    /// <summary>An invoice whose GL account has no mapping.</summary>
    public const string GlUnmapped = "inv-gl-unmapped";

    /// <summary>An invoice dated before the period lock date.</summary>
    public const string LockDate = "inv-lock-date";

    /// <summary>An invoice posting to an archived account.</summary>
    public const string ArchivedAccount = "inv-archived-account";

    /// <summary>An invoice posting to an account without a code.</summary>
    public const string AccountWithoutCode = "inv-account-without-code";

    /// <summary>A $0 invoice that is not paid.</summary>
    public const string ZeroUnpaid = "inv-zero-unpaid";

    /// <summary>An invoice with a negative total (sent as a credit note).</summary>
    public const string NegativeTotal = "inv-negative";

    /// <summary>An invoice whose host total differs from Xero's per-line rounding by a cent.</summary>
    public const string Rounding = "inv-rounding";

    /// <summary>A customer without a billing contact (warning).</summary>
    public const string MissingBillingContact = "cust-no-billing-contact";

    /// <summary>A payment to an account that does not accept payments.</summary>
    public const string PaymentsAccount = "pay-account-no-payments";
}

/// <summary>
/// A demo practice's data (customers, items, a month of invoices, purchase orders, bills, payments,
/// clients, jobs and costs) with one record for each problem the seed articles describe.
/// </summary>
public sealed class DemoPractice
{
    private DemoPractice()
    {
    }

    /// <summary>The first day of the demo month; the period lock date is the day before.</summary>
    public DateOnly MonthStart { get; private init; }

    /// <summary>The period lock date the ledger must have.</summary>
    public DateOnly PeriodLockDate => MonthStart.AddDays(-1);

    /// <summary>The Practice Manager WIP lock date the ledger must have.</summary>
    public DateOnly WipLockDate => MonthStart.AddDays(2);

    /// <summary>The account code the ledger must have archived.</summary>
    public string ArchivedAccountCode => "400";

    /// <summary>The job number of a Completed job in Practice Manager.</summary>
    public string CompletedJobNumber => "J000900";

    /// <summary>The job number of a deleted job in Practice Manager.</summary>
    public string DeletedJobNumber => "J000901";

    /// <summary>Customers and suppliers.</summary>
    public IReadOnlyList<ContactRecord> Contacts { get; private init; } = [];

    /// <summary>Products and services.</summary>
    public IReadOnlyList<ItemRecord> Items { get; private init; } = [];

    /// <summary>Sales invoices.</summary>
    public IReadOnlyList<InvoiceRecord> Invoices { get; private init; } = [];

    /// <summary>Purchase orders (some finished).</summary>
    public IReadOnlyList<PurchaseOrderRecord> PurchaseOrders { get; private init; } = [];

    /// <summary>Bills, including one per finished purchase order.</summary>
    public IReadOnlyList<BillRecord> Bills { get; private init; } = [];

    /// <summary>Payments on invoices.</summary>
    public IReadOnlyList<PaymentRecord> Payments { get; private init; } = [];

    /// <summary>Practice Manager clients.</summary>
    public IReadOnlyList<ClientRecord> Clients { get; private init; } = [];

    /// <summary>Practice Manager jobs.</summary>
    public IReadOnlyList<JobRecord> Jobs { get; private init; } = [];

    /// <summary>Costs on jobs.</summary>
    public IReadOnlyList<CostRecord> Costs { get; private init; } = [];

    /// <summary>The mappings a host would have set up (the unmapped problems are absent on purpose).</summary>
    public IReadOnlyList<(MappingKind Kind, string LocalKey, string RemoteKey)> Mappings { get; private init; } = [];

    /// <summary>Every record, in push order.</summary>
    public IEnumerable<SyncRecord> All =>
        Contacts.Cast<SyncRecord>().Concat(Items).Concat(Clients).Concat(Invoices).Concat(PurchaseOrders).Concat(Bills).Concat(Jobs).Concat(Payments).Concat(Costs);

    /// <summary>The reference data changes the ledger needs for the problems to show (lock dates, archived account, jobs).</summary>
    /// <param name="reference">The ledger's reference data.</param>
    /// <returns>The reference data with the demo's settings.</returns>
    public ReferenceData ApplyTo(ReferenceData reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return reference with
        {
            PeriodLockDate = PeriodLockDate,
            WipLockDate = WipLockDate,
            Accounts = reference.Accounts.Select(a => a.Code == ArchivedAccountCode ? a with { IsArchived = true } : a).ToArray(),
            Jobs =
            [
                .. reference.Jobs,
                new LedgerJob { JobNumber = CompletedJobNumber, State = "Completed" },
                new LedgerJob { JobNumber = DeletedJobNumber, State = "In Progress", IsDeleted = true },
            ],
        };
    }

    /// <summary>Generates the demo data.</summary>
    /// <param name="monthStart">The first day of the month of invoices.</param>
    /// <param name="customers">How many customers.</param>
    /// <param name="invoices">How many invoices (at least 20).</param>
    /// <param name="seed">The random seed; the same seed gives the same data.</param>
    /// <returns>The data set.</returns>
    public static DemoPractice Generate(DateOnly monthStart, int customers = 50, int invoices = 200, int seed = 42)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(customers, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(invoices, 20);
        var random = new Random(seed);
        var days = DateTime.DaysInMonth(monthStart.Year, monthStart.Month);
        DateOnly Day() => monthStart.AddDays(random.Next(3, days));

        var contacts = Enumerable.Range(1, customers).Select(i => new ContactRecord
        {
            SourceId = $"cust-{i:D4}",
            Name = $"{Names[i % Names.Length]} {Suffixes[i % Suffixes.Length]} #{i}",
            AccountNumber = $"C{i:D4}",
            Email = $"accounts{i}@example.com",
            BillingContact = new ContactPerson { FirstName = "Alex", LastName = $"Billing{i}", Email = $"billing{i}@example.com" },
            PaymentTermsKey = "NET30",
        }).ToList();
        contacts.Add(new ContactRecord { SourceId = DemoProblems.MissingBillingContact, Name = "Northwind Traders (no billing contact)", PaymentTermsKey = "NET30" });
        contacts.Add(new ContactRecord { SourceId = "supp-0001", Name = "Office Supplies Co", IsCustomer = false, IsSupplier = true, BillingContact = new ContactPerson { Email = "ap@officesupplies.example" } });

        var items = new List<ItemRecord>
        {
            new() { SourceId = "item-consult", Code = "CONSULT", Name = "Consulting hour", SalePrice = 165m, SalesAccountKey = "GL-SERVICES", SalesTaxKey = "TAX-GST" },
            new() { SourceId = "item-laptop", Code = "LAPTOP", Name = "Laptop", SalePrice = 1899m, SalesAccountKey = "GL-SALES", SalesTaxKey = "TAX-GST", IsPurchased = true, PurchasePrice = 1400m, PurchaseAccountKey = "GL-COGS", PurchaseTaxKey = "TAX-GSTP" },
            new() { SourceId = "item-support", Code = "SUPPORT", Name = "Support plan", SalePrice = 99.95m, SalesAccountKey = "GL-SERVICES", SalesTaxKey = "TAX-GST" },
        };

        var invoiceList = new List<InvoiceRecord>();
        for (var i = 1; i <= invoices - 8; i++)
        {
            var contact = contacts[random.Next(customers)];
            var lines = Enumerable.Range(0, 1 + random.Next(3)).Select(_ => random.Next(3) switch
            {
                0 => new DocumentLine { Description = "Consulting", Quantity = 1 + random.Next(8), UnitPrice = 165m, AccountKey = "GL-SERVICES", TaxKey = "TAX-GST", ItemKey = "item-consult" },
                1 => new DocumentLine { Description = "Support plan", Quantity = 1, UnitPrice = 99.95m, AccountKey = "GL-SERVICES", TaxKey = "TAX-GST", ItemKey = "item-support" },
                _ => new DocumentLine { Description = "Hardware", Quantity = 1 + random.Next(2), UnitPrice = Math.Round(100m + (decimal)random.NextDouble() * 900m, 2), AccountKey = "GL-SALES", TaxKey = "TAX-GST" },
            }).ToArray();
            invoiceList.Add(Invoice($"inv-{i:D5}", $"INV-{i:D5}", contact.SourceId, Day(), lines));
        }

        var customer = contacts[0].SourceId;
        invoiceList.Add(Invoice(DemoProblems.GlUnmapped, "INV-90001", customer, Day(), [Line("Project fee", 500m, "GL-UNMAPPED")]));
        invoiceList.Add(Invoice(DemoProblems.LockDate, "INV-90002", customer, monthStart.AddDays(-5), [Line("Late entry from last month", 250m, "GL-SALES")]));
        invoiceList.Add(Invoice(DemoProblems.ArchivedAccount, "INV-90003", customer, Day(), [Line("Advertising recharge", 120m, "GL-ADVERTISING")]));
        invoiceList.Add(Invoice(DemoProblems.AccountWithoutCode, "INV-90004", customer, Day(), [Line("Trust transfer", 300m, "GL-TRUST", "TAX-NONE")]));
        invoiceList.Add(Invoice(DemoProblems.ZeroUnpaid, "INV-90005", customer, Day(), [new DocumentLine { Description = "Warranty repair", Quantity = 1, UnitPrice = 80m, DiscountRate = 100m, AccountKey = "GL-SERVICES", TaxKey = "TAX-GST" }]));
        invoiceList.Add(Invoice(DemoProblems.NegativeTotal, "INV-90006", customer, Day(), [Line("Refund of overpayment", -45m, "GL-SALES")]));

        // Three lines of 33.33 + 10% GST: Xero rounds tax per line (3.33 each: 109.98); the host taxed the total (109.99).
        invoiceList.Add(Invoice(DemoProblems.Rounding, "INV-90007", customer, Day(), [Line("Retainer part 1", 33.33m, "GL-SERVICES"), Line("Retainer part 2", 33.33m, "GL-SERVICES"), Line("Retainer part 3", 33.33m, "GL-SERVICES")]) with { Total = 109.99m });
        invoiceList.Add(Invoice("inv-for-bad-payment", "INV-90008", customer, Day(), [Line("Consulting", 200m, "GL-SERVICES")]));

        var orders = Enumerable.Range(1, Math.Max(2, invoices / 20)).Select(i => new PurchaseOrderRecord
        {
            SourceId = $"po-{i:D4}",
            Number = $"PO-{i:D4}",
            ContactSourceId = "supp-0001",
            Date = Day(),
            CurrencyCode = "AUD",
            IsFinished = i % 2 == 0,
            Lines = [new DocumentLine { Description = "Laptop", Quantity = 1, UnitPrice = 1400m, AccountKey = "GL-COGS", TaxKey = "TAX-GSTP", ItemKey = "item-laptop" }],
        }).ToList();
        var bills = orders.Where(o => o.IsFinished).Select(o => BillRecord.FromPurchaseOrder(o)).ToList();

        var payments = invoiceList.Where(inv => inv.SourceId.StartsWith("inv-0", StringComparison.Ordinal) && random.Next(3) == 0).Select(inv => new PaymentRecord
        {
            SourceId = "pay-" + inv.SourceId,
            DocumentSourceId = inv.SourceId,
            Date = inv.Date.AddDays(Math.Min(3, days - inv.Date.Day)),
            Amount = Math.Round(inv.Lines.Sum(l => l.NetAmount + Math.Round(l.NetAmount * 0.1m, 2, MidpointRounding.AwayFromZero)) / 2m, 2),
            CurrencyCode = "AUD",
            AccountKey = "GL-BANK",
            Reference = "Part payment " + inv.Number,
        }).ToList();
        payments.Add(new PaymentRecord { SourceId = DemoProblems.PaymentsAccount, DocumentSourceId = "inv-for-bad-payment", Date = Day(), Amount = 50m, CurrencyCode = "AUD", AccountKey = "GL-AR", Reference = "Paid into receivables" });

        var clients = Enumerable.Range(1, 5).Select(i => new ClientRecord { SourceId = $"org-{i:D3}", Name = $"Client {Names[i]} Pty Ltd", Email = $"client{i}@example.com" }).ToList();
        var jobs = clients.Select((c, i) => new JobRecord { SourceId = $"job-{i + 1:D3}", ClientSourceId = c.SourceId, Name = $"Annual accounts {monthStart.Year}", State = "In Progress", StartDate = monthStart }).ToList();
        var costs = Enumerable.Range(1, Math.Max(5, invoices / 10)).Select(i => new CostRecord
        {
            SourceId = $"cost-{i:D4}",
            OrganisationKey = clients[i % clients.Count].SourceId,
            JobSourceId = jobs[i % jobs.Count].SourceId,
            Date = Day(),
            Description = i % 2 == 0 ? "Courier" : "ASIC lodgement fee",
            Quantity = 1,
            UnitCost = i % 2 == 0 ? 18.5m : 59m,
            UnitPrice = i % 2 == 0 ? 25m : 59m,
        }).ToList();
        costs.Add(new CostRecord { SourceId = DemoProblems.UnmappedOrganisation, OrganisationKey = "org-unmapped", Date = Day(), Description = "Search fee", UnitCost = 12m, UnitPrice = 12m });
        costs.Add(new CostRecord { SourceId = DemoProblems.JobNotInProgress, OrganisationKey = clients[0].SourceId, JobSourceId = "job-closed", Date = Day(), Description = "Title search", UnitCost = 20m, UnitPrice = 20m });
        costs.Add(new CostRecord { SourceId = DemoProblems.JobDeleted, OrganisationKey = clients[0].SourceId, JobSourceId = "job-deleted", Date = Day(), Description = "Courier", UnitCost = 18.5m, UnitPrice = 25m });
        costs.Add(new CostRecord { SourceId = DemoProblems.WipLocked, OrganisationKey = clients[1].SourceId, JobSourceId = jobs[1].SourceId, Date = monthStart.AddDays(1), Description = "Photocopying", UnitCost = 4m, UnitPrice = 6m });

        return new DemoPractice
        {
            MonthStart = monthStart,
            Contacts = contacts,
            Items = items,
            Invoices = invoiceList,
            PurchaseOrders = orders,
            Bills = bills,
            Payments = payments,
            Clients = clients,
            Jobs = jobs,
            Costs = costs,
            Mappings =
            [
                (MappingKind.Account, "GL-SALES", "200"),
                (MappingKind.Account, "GL-SERVICES", "260"),
                (MappingKind.Account, "GL-COGS", "310"),
                (MappingKind.Account, "GL-ADVERTISING", "400"),
                (MappingKind.Account, "GL-TRUST", "Trust Liability"),
                (MappingKind.Account, "GL-BANK", "090"),
                (MappingKind.Account, "GL-AR", "610"),
                (MappingKind.Account, "GL-ROUNDING", "860"),
                (MappingKind.TaxRate, "TAX-GST", "OUTPUT"),
                (MappingKind.TaxRate, "TAX-GSTP", "INPUT"),
                (MappingKind.TaxRate, "TAX-NONE", "NONE"),
                (MappingKind.TaxRate, "TAX-FREE", "EXEMPTOUTPUT"),
                (MappingKind.PaymentTerms, "NET30", "DAYSAFTERBILLDATE:30"),
                (MappingKind.Job, "job-closed", "J000900"),
                (MappingKind.Job, "job-deleted", "J000901"),
            ],
        };
    }

    /// <summary>The mapping that resolves <see cref="DemoProblems.GlUnmapped"/> (what a user adds in the demo).</summary>
    public static (MappingKind Kind, string LocalKey, string RemoteKey) MissingGlMapping => (MappingKind.Account, "GL-UNMAPPED", "200");

    private static InvoiceRecord Invoice(string id, string number, string contact, DateOnly date, DocumentLine[] lines) => new()
    {
        SourceId = id,
        Number = number,
        ContactSourceId = contact,
        Date = date,
        DueDate = date.AddDays(30),
        CurrencyCode = "AUD",
        Lines = lines,
        Reference = string.Create(CultureInfo.InvariantCulture, $"Job {number[4..]}"),
    };

    private static DocumentLine Line(string description, decimal amount, string account, string tax = "TAX-GST") =>
        new() { Description = description, Quantity = 1m, UnitPrice = amount, AccountKey = account, TaxKey = tax };

    private static readonly string[] Names = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Tyrell", "Cyberdyne", "Soylent", "Wonka"];
    private static readonly string[] Suffixes = ["Pty Ltd", "Holdings", "Partners", "Group", "Trust"];
}
