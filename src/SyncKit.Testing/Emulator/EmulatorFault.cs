namespace SyncKit.Testing.Emulator;

/// <summary>Kinds of fault the emulator can inject.</summary>
public enum EmulatorFaultKind
{
    /// <summary>Delay the response by <see cref="EmulatorFault.Latency"/> (emulator time), then answer normally.</summary>
    Latency,

    /// <summary>Answer <see cref="EmulatorFault.StatusCode"/> (default 500) without doing the work.</summary>
    ServerError,

    /// <summary>Answer 503 "The Organisation is offline" without doing the work.</summary>
    OrganisationOffline,

    /// <summary>Do the work (the write lands) and then drop the connection: the client sees a transport failure.</summary>
    CommitThenDrop,

    /// <summary>Answer 429 with <see cref="EmulatorFault.RateLimitProblem"/> and <see cref="EmulatorFault.RetryAfterSeconds"/>.</summary>
    RateLimit,

    /// <summary>Revoke the calling token's grant (access and refresh tokens die) and answer 401.</summary>
    RevokeToken,
}

/// <summary>A fault rule: which calls it hits (method, path, tenant), how often (count or probability) and what happens.</summary>
public sealed class EmulatorFault
{
    /// <summary>What happens.</summary>
    public required EmulatorFaultKind Kind { get; init; }

    /// <summary>HTTP method to match (case-insensitive); null matches any.</summary>
    public string? Method { get; init; }

    /// <summary>
    /// Substring of the path to match (case-insensitive), e.g. <c>/Invoices</c>; null matches any API path
    /// (Accounting and Practice Manager). Identity paths (<c>/connect/token</c>, <c>/connections</c>) are hit only by
    /// rules that name them.
    /// </summary>
    public string? Path { get; init; }

    /// <summary>Tenant to match; null matches any.</summary>
    public Guid? TenantId { get; init; }

    /// <summary>How many matching calls it hits, then it is spent; null means unlimited.</summary>
    public int? Count { get; init; }

    /// <summary>Probability (0..1) that a matching call is hit, drawn from the emulator's seeded generator; null means always.</summary>
    public double? Probability { get; init; }

    /// <summary>Delay for <see cref="EmulatorFaultKind.Latency"/>.</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Status for <see cref="EmulatorFaultKind.ServerError"/> (500, 502, 503, 504...).</summary>
    public int StatusCode { get; init; } = 500;

    /// <summary><c>X-Rate-Limit-Problem</c> for <see cref="EmulatorFaultKind.RateLimit"/>: minute, day, appminute or concurrent.</summary>
    public string RateLimitProblem { get; init; } = "minute";

    /// <summary><c>Retry-After</c> seconds for <see cref="EmulatorFaultKind.RateLimit"/>.</summary>
    public int RetryAfterSeconds { get; init; } = 60;
}
