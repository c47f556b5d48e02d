using Microsoft.Extensions.Time.Testing;
using SyncKit.Testing.Emulator;

namespace SyncKit.Samples.Console.DocsSnippets;

// The code shown in docs/emulator.md, compiled here (a test checks the docs match).
internal static class EmulatorSnippets
{
    public static async Task<string> TourAsync()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 7, 15, 9, 0, 0, TimeSpan.Zero));
        await using var emulator = XeroEmulator.Create(new XeroEmulatorOptions { TimeProvider = time, Seed = 42 });

        EmulatorTenant tenant = await emulator.CreateTenantAsync(new EmulatorTenantOptions
        {
            Name = "Acme Pty Ltd",
            BaseCurrency = "AUD",
            PeriodLockDate = new DateOnly(2026, 6, 30),
            MinuteLimit = 5,                       // small limits for rate-limit tests
        });

        // Either a ready client (BaseAddress set, Accept: application/json) ...
        using var http = emulator.CreateHttpClient();
        // ... or a handler for your own HttpClient / typed client / Xero SDK:
        //   new HttpClient(emulator.CreateHandler()) { BaseAddress = emulator.BaseAddress }
        http.DefaultRequestHeaders.Authorization = new("Bearer", tenant.AccessToken);
        http.DefaultRequestHeaders.Add("xero-tenant-id", tenant.TenantId.ToString());
        var invoices = await http.GetStringAsync("api.xro/2.0/Invoices");

        time.Advance(TimeSpan.FromMinutes(31));                // the emulator shares the test's clock: the token expires
        emulator.AdvanceClock(TimeSpan.FromSeconds(61));       // same thing through the emulator (FakeTimeProvider.Advance)
        emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.CommitThenDrop, Method = "PUT", Path = "/Invoices", Count = 1 });
        emulator.SetLockDates(tenant.TenantId, new DateOnly(2026, 9, 30), null);
        emulator.ArchiveAccount(tenant.TenantId, "310");
        emulator.SetOffline(tenant.TenantId, true);
        EmulatorStats stats = emulator.GetStats();
        string json = emulator.ExportTenant(tenant.TenantId);
        return json + invoices + stats;
    }
}
