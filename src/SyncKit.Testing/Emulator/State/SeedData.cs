using System.Text.Json.Nodes;

namespace SyncKit.Testing.Emulator.State;

/// <summary>The standard organisation every new tenant starts with: chart of accounts, tax rates, tracking.</summary>
internal static class SeedData
{
    private static readonly (string Code, string Name, string Type, string TaxType, string? SystemAccount, bool EnablePayments)[] s_accounts =
    [
        ("090", "Business Bank Account", "BANK", "NONE", null, true),
        ("091", "Business Savings Account", "BANK", "NONE", null, true),
        ("200", "Sales", "REVENUE", "OUTPUT", null, false),
        ("260", "Other Revenue", "REVENUE", "OUTPUT", null, false),
        ("270", "Interest Income", "REVENUE", "NONE", null, false),
        ("310", "Cost of Goods Sold", "DIRECTCOSTS", "INPUT", null, false),
        ("400", "Advertising", "EXPENSE", "INPUT", null, false),
        ("404", "Bank Fees", "EXPENSE", "NONE", null, false),
        ("429", "General Expenses", "EXPENSE", "INPUT", null, false),
        ("453", "Office Expenses", "EXPENSE", "INPUT", null, false),
        ("610", "Accounts Receivable", "CURRENT", "BASEXCLUDED", "DEBTORS", false),
        ("630", "Inventory", "INVENTORY", "BASEXCLUDED", null, false),
        ("800", "Accounts Payable", "CURRLIAB", "BASEXCLUDED", "CREDITORS", false),
        ("820", "GST", "CURRLIAB", "BASEXCLUDED", "GST", false),
        ("855", "Clearing Account", "CURRLIAB", "BASEXCLUDED", null, true),
        ("860", "Rounding", "CURRLIAB", "BASEXCLUDED", "ROUNDING", false),
        ("960", "Retained Earnings", "EQUITY", "BASEXCLUDED", "RETAINEDEARNINGS", false),
    ];

    // TaxType, Name, Rate, revenue, expenses, assets, liabilities, equity, report tax type
    private static readonly (string TaxType, string Name, decimal Rate, bool Revenue, bool Expenses, bool Assets, bool Liabilities, bool Equity, string Report)[] s_taxRates =
    [
        ("OUTPUT", "GST on Income", 10m, true, false, false, true, true, "OUTPUT"),
        ("INPUT", "GST on Expenses", 10m, false, true, true, true, true, "INPUT"),
        ("NONE", "No GST", 0m, true, true, true, true, true, "NONE"),
        ("EXEMPTOUTPUT", "GST Free Income", 0m, true, false, false, true, true, "OUTPUT"),
        ("EXEMPTEXPENSES", "GST Free Expenses", 0m, false, true, true, true, true, "INPUT"),
        ("BASEXCLUDED", "BAS Excluded", 0m, true, true, true, true, true, "NONE"),
    ];

    public static string AccountClass(string type) => type.ToUpperInvariant() switch
    {
        "BANK" or "CURRENT" or "FIXED" or "INVENTORY" or "NONCURRENT" or "PREPAYMENT" => "ASSET",
        "CURRLIAB" or "LIABILITY" or "TERMLIAB" or "PAYGLIABILITY" or "SUPERANNUATIONLIABILITY" or "WAGESPAYABLELIABILITY" => "LIABILITY",
        "EQUITY" => "EQUITY",
        "DEPRECIATN" or "DIRECTCOSTS" or "EXPENSE" or "OVERHEADS" or "SUPERANNUATIONEXPENSE" or "WAGESEXPENSE" => "EXPENSE",
        _ => "REVENUE",
    };

    public static string CountryFor(string currency) => currency.ToUpperInvariant() switch
    {
        "NZD" => "NZ",
        "GBP" => "GB",
        "USD" => "US",
        "CAD" => "CA",
        "ZAR" => "ZA",
        "SGD" => "SG",
        _ => "AU",
    };

    public static string CurrencyName(string code) => code.ToUpperInvariant() switch
    {
        "AUD" => "Australian Dollar",
        "NZD" => "New Zealand Dollar",
        "USD" => "United States Dollar",
        "GBP" => "British Pound",
        "EUR" => "Euro",
        "CAD" => "Canadian Dollar",
        "SGD" => "Singapore Dollar",
        "ZAR" => "South African Rand",
        _ => code.ToUpperInvariant(),
    };

    public static void Seed(TenantState tenant, IdGenerator ids, DateTimeOffset now)
    {
        tenant.ShortCode = "!" + ids.NewHex(5);
        foreach (var (code, name, type, taxType, system, payments) in s_accounts)
        {
            var account = new JsonObject
            {
                ["AccountID"] = ids.NewGuid().ToString(),
                ["Code"] = code,
                ["Name"] = name,
                ["Status"] = "ACTIVE",
                ["Type"] = type,
                ["TaxType"] = taxType,
                ["Class"] = AccountClass(type),
                ["EnablePaymentsToAccount"] = payments,
                ["ShowInExpenseClaims"] = false,
                ["ReportingCode"] = "",
                ["ReportingCodeName"] = "",
                ["HasAttachments"] = false,
                ["UpdatedDateUTC"] = XeroJson.MsDate(now),
                ["AddToWatchlist"] = false,
            };
            if (type == "BANK")
            {
                account["BankAccountNumber"] = "0620" + code + "123456";
                account["BankAccountType"] = "BANK";
                account["CurrencyCode"] = tenant.BaseCurrency;
            }

            if (system is not null)
            {
                account["SystemAccount"] = system;
            }

            tenant.Accounts.Add(account);
        }

        foreach (var t in s_taxRates)
        {
            tenant.TaxRates.Add(NewTaxRate(t.TaxType, t.Name, t.Rate, t.Revenue, t.Expenses, t.Assets, t.Liabilities, t.Equity, t.Report));
        }

        tenant.TrackingCategories.Add(new JsonObject
        {
            ["TrackingCategoryID"] = ids.NewGuid().ToString(),
            ["Name"] = "Region",
            ["Status"] = "ACTIVE",
            ["Options"] = new JsonArray
            {
                new JsonObject { ["TrackingOptionID"] = ids.NewGuid().ToString(), ["Name"] = "North", ["Status"] = "ACTIVE" },
                new JsonObject { ["TrackingOptionID"] = ids.NewGuid().ToString(), ["Name"] = "South", ["Status"] = "ACTIVE" },
            },
        });
    }

    public static JsonObject NewTaxRate(string taxType, string name, decimal rate, bool revenue, bool expenses, bool assets, bool liabilities, bool equity, string report) => new()
    {
        ["Name"] = name,
        ["TaxType"] = taxType,
        ["ReportTaxType"] = report,
        ["CanApplyToAssets"] = assets,
        ["CanApplyToEquity"] = equity,
        ["CanApplyToExpenses"] = expenses,
        ["CanApplyToLiabilities"] = liabilities,
        ["CanApplyToRevenue"] = revenue,
        ["DisplayTaxRate"] = XeroJson.Round(rate, 4),
        ["EffectiveRate"] = XeroJson.Round(rate, 4),
        ["Status"] = "ACTIVE",
        ["TaxComponents"] = new JsonArray
        {
            new JsonObject { ["Name"] = "GST", ["Rate"] = XeroJson.Round(rate, 4), ["IsCompound"] = false, ["IsNonRecoverable"] = false },
        },
    };

    public static JsonObject Organisation(TenantState tenant)
    {
        var country = CountryFor(tenant.BaseCurrency);
        var org = new JsonObject
        {
            ["OrganisationID"] = tenant.OrganisationId.ToString(),
            ["APIKey"] = "",
            ["Name"] = tenant.Name,
            ["LegalName"] = tenant.Name,
            ["PaysTax"] = true,
            ["Version"] = country switch { "AU" or "NZ" or "US" => country, "GB" => "UK", _ => "GLOBAL" },
            ["OrganisationType"] = "COMPANY",
            ["BaseCurrency"] = tenant.BaseCurrency,
            ["CountryCode"] = country,
            ["IsDemoCompany"] = false,
            ["OrganisationStatus"] = "ACTIVE",
            ["FinancialYearEndDay"] = 30,
            ["FinancialYearEndMonth"] = 6,
            ["SalesTaxBasis"] = "ACCRUALS",
            ["SalesTaxPeriod"] = "QUARTERLY1",
            ["DefaultSalesTax"] = "Tax Exclusive",
            ["DefaultPurchasesTax"] = "Tax Inclusive",
            ["CreatedDateUTC"] = XeroJson.MsDate(tenant.CreatedUtc),
            ["OrganisationEntityType"] = "COMPANY",
            ["Timezone"] = "AUSEASTERNSTANDARDTIME",
            ["ShortCode"] = tenant.ShortCode,
            ["Class"] = "PREMIUM",
            ["Edition"] = "BUSINESS",
            ["LineOfBusiness"] = "Software",
            ["Addresses"] = new JsonArray(),
            ["Phones"] = new JsonArray(),
            ["ExternalLinks"] = new JsonArray(),
            ["PaymentTerms"] = new JsonObject(),
        };
        if (tenant.PeriodLockDate is { } period)
        {
            org["PeriodLockDate"] = XeroJson.MsDate(period);
        }

        if (tenant.EndOfYearLockDate is { } eoy)
        {
            org["EndOfYearLockDate"] = XeroJson.MsDate(eoy);
        }

        return org;
    }
}
