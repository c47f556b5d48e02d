namespace SyncKit;

/// <summary>What to do with a document whose total is zero.</summary>
public enum ZeroValuePolicy
{
    /// <summary>Skip it unless it is paid (the default, as Syncro does).</summary>
    SkipUnlessPaid = 0,

    /// <summary>Always send it.</summary>
    Send = 1,

    /// <summary>Always skip it.</summary>
    Skip = 2,
}

/// <summary>What to do with an invoice whose total is negative (a refund or an overpayment).</summary>
public enum NegativeInvoicePolicy
{
    /// <summary>Send it as a credit note with the signs turned (the default).</summary>
    SendAsCreditNote = 0,

    /// <summary>Skip it: the user creates the refund by hand in both systems.</summary>
    Skip = 1,
}

/// <summary>Options of the SyncKit engine.</summary>
public sealed class SyncOptions
{
    /// <summary>Records read from a source per chunk; a run holds one chunk in memory (10–5,000).</summary>
    public int ReadChunkSize { get; set; } = 500;

    /// <summary>How far before a pull's watermark the next pull reads again, for clocks and commits that lag (default 5 minutes).</summary>
    /// <remarks>Records read twice are recognised by the ledger's id and change time and not applied twice.</remarks>
    public TimeSpan PullSkewMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many records one page of a pull reads (Xero allows 1 to 1,000; default 100).</summary>
    public int PullPageSize { get; set; } = 100;

    /// <summary>
    /// How long a run's lease lasts without renewal. A live run renews it every third of this (a heartbeat), so a dead
    /// node's lease lapses, and its claims are reconciled, within this time of its death.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>This node's name in leases (defaults to machine name and process id).</summary>
    public string? NodeId { get; set; }

    /// <summary>Automatic attempts for transient failures before a record is Failed.</summary>
    public int MaxAutomaticAttempts { get; set; } = 8;

    /// <summary>The first backoff; doubled each attempt, with jitter, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest backoff.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How old cached reference data (accounts, tax rates, tracking, lock dates) may be before a run reads it again. One hour by default.</summary>
    /// <remarks>
    /// Only background runs (scheduled, webhook) use the cache: a run a user starts — Sync All, a retry, one record, a
    /// preview — reads the ledger's reference data afresh, so "unlock the period, then retry" works at once. A run in
    /// which a record fails for a reference-data reason (lock dates, an archived or missing account, a tax rate, a
    /// currency, a job's state) drops the cache, so the next run reads afresh too. <see cref="TimeSpan.Zero"/> turns the
    /// cache off. A tenant scheduled every ten minutes saves about 700 of its 5,000 daily calls this way.
    /// </remarks>
    public TimeSpan ReferenceDataMaxAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Zero-total documents.</summary>
    public ZeroValuePolicy ZeroValueDocuments { get; set; } = ZeroValuePolicy.SkipUnlessPaid;

    /// <summary>Negative-total invoices.</summary>
    public NegativeInvoicePolicy NegativeInvoices { get; set; } = NegativeInvoicePolicy.SendAsCreditNote;

    /// <summary>Summarise document lines per (account, tax, tracking) before sending, as Actionstep does for bills.</summary>
    public bool SummariseLines { get; set; }

    /// <summary>
    /// Also name the tenant by its id, not only by its reference, in the logging scope of every line written during a
    /// run (engine, connector and HTTP lines alike). Off by default.
    /// </summary>
    /// <remarks>
    /// Every line carries <see cref="Telemetry.SyncKitTelemetry.TenantReference"/> whatever this says. Turn this on when
    /// your tenant ids are not personal or customer data and support wants to search logs by id; the host's logger
    /// must include scopes (<c>IncludeScopes</c>) for the id to be written. Metric tags and traces keep the reference.
    /// </remarks>
    public bool LogTenantIds { get; set; }

    /// <summary>Record a warning when a contact has no billing or primary contact person. Off by default.</summary>
    /// <remarks>
    /// Most customers have no separate billing person, so a warning on every such contact would bury the warnings that
    /// matter. Turn it on when your product expects one (Wise-Sync warns because ConnectWise companies carry one).
    /// </remarks>
    public bool WarnOnMissingBillingContact { get; set; }

    /// <summary>
    /// The host's GL key of the rounding account. When a document's host total differs from the ledger's
    /// per-line rounding, a rounding line to this account makes them agree (and a warning is recorded).
    /// Null: no adjustment; the difference is only warned about.
    /// </summary>
    public string? RoundingAccountKey { get; set; }

    /// <summary>The host's tax key for the rounding line (a 0% rate); null sends the line without a tax type.</summary>
    public string? RoundingTaxKey { get; set; }

    /// <summary>The largest rounding difference adjusted automatically; larger differences fail validation.</summary>
    public decimal MaxRoundingAdjustment { get; set; } = 1.00m;

    /// <summary>Mapping kinds whose host keys are already the ledger's codes when no mapping is stored.</summary>
    public ISet<Mapping.MappingKind> PassThroughMappings { get; } = new HashSet<Mapping.MappingKind>();
}
