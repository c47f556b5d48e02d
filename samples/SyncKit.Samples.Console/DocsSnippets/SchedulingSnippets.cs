using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SyncKit.Records;

namespace SyncKit.Samples.Console.DocsSnippets;

// The code shown in docs/scheduling.md, compiled here (a test checks the docs match).
internal static class SchedulingSnippets
{
    public static void Schedule(HostApplicationBuilder builder)
    {
        builder.Services.AddSyncKit(o => o.RoundingAccountKey = "GL-ROUNDING")
            .UseSqliteStorage("synckit.db")
            .AddSource<MyInvoices>()
            .AddScheduledSync(TimeSpan.FromHours(3));
    }

    public static void ScheduleWithOptions(HostApplicationBuilder builder)
    {
        builder.Services.AddSyncKit()
            .AddScheduledSync(o =>
            {
                o.Every = TimeSpan.FromHours(3);           // how often each tenant syncs (default 3 h; > 0, at most 30 days)
                o.Jitter = 0.1;                            // spread tenants over the first 10% of each period (0 to 0.5)
                o.FirstRunDelay = TimeSpan.FromMinutes(1); // first cycle this long after the host starts (default 1 min)
                o.MaxConcurrentTenants = 4;                // tenants syncing at once on this node (default 4; at least 1)
                o.Kinds.Add(RecordKind.Invoice);           // which kinds; every kind with a source when empty
                o.RequestedBy = "scheduler";               // shown in the activity log
                o.TenantFilter = t => t.TenantId != "demo";// optional: which tenants the scheduler covers
            });
    }

    public static void HealthChecks(HostApplicationBuilder builder)
    {
        builder.Services.AddSyncKit()
            .AddSyncKitHealthCheck(o => o.FailedRecordThreshold = 10);

        // or, next to the host's other checks (ASP.NET Core then maps them with app.MapHealthChecks("/health")):
        builder.Services.AddHealthChecks()
            .AddSyncKit(o => o.FailedRecordThreshold = 10, tags: ["ready"]);
    }
}
