using SyncKit.EndToEnd.Tests.ExactlyOnce;
using SyncKit.Records;
using SyncKit.Testing.Sources;

namespace SyncKit.EndToEnd.Tests.Processes;

/// <summary>
/// The host's data in the process tests: every written kind's non-unique records (<see cref="NonUniqueData"/>) plus a
/// volume of look-alike customers, invoices Xero numbers itself and identical part-payments, so a run makes dozens of
/// writes and a kill can land on any of them. Built the same way in the test and in every host process.
/// </summary>
internal static class ProcessData
{
    public static (InMemorySourceSet Sources, IReadOnlyList<Expected> Expected) Load(string tenantId)
    {
        var sources = new InMemorySourceSet();
        var expected = new List<Expected>();
        foreach (var kind in Enum.GetValues<WrittenKind>())
        {
            expected.AddRange(NonUniqueData.Load(sources, tenantId, kind).Expected);
        }

        var customers = Enumerable.Range(1, 24)
            .Select(i => new ContactRecord { SourceId = $"vol-c-{i:D2}", Name = $"Volume Customer {i:D2}", Email = "accounts@volume.example" })
            .ToArray();
        var invoices = Enumerable.Range(1, 40)
            .Select(i => NonUniqueData.Invoice($"vol-inv-{i:D2}", null, customers[(i / 2) % customers.Length].SourceId, 100m + (i / 2)))
            .ToArray();
        var payments = Enumerable.Range(1, 20)
            .Select(i => NonUniqueData.Payment($"vol-pay-{i:D2}", invoices[i % 10].SourceId, 10m))
            .ToArray();
        sources.Contacts.PutRange(tenantId, customers);
        sources.Invoices.PutRange(tenantId, invoices);
        sources.Payments.PutRange(tenantId, payments);
        expected.AddRange(customers.Concat<SyncRecord>(invoices).Concat(payments).Select(r => new Expected(r.Kind, r.SourceId, Expectation.SyncedOrVisiblyUnsettled)));

        return (sources, expected.DistinctBy(e => (e.Kind, e.SourceId)).ToList());
    }
}
