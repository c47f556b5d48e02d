using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using SyncKit.Inbound;
using SyncKit.Records;

namespace SyncKit.EndToEnd.Tests.Inbound;

/// <summary>
/// An FYI-like host's own copy of a Practice Manager practice: clients, jobs and staff keyed by the host's id, each
/// remembering the Practice Manager id it came from (so applying the same record twice changes nothing).
/// </summary>
internal sealed class PracticeBooks
{
    public ConcurrentDictionary<string, PulledClient> Clients { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, (PulledJob Job, string? ClientHostId)> Jobs { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, PulledStaff> Staff { get; } = new(StringComparer.Ordinal);

    /// <summary>Host records with a local edit not yet pushed ("Pending Sync").</summary>
    public ConcurrentDictionary<string, bool> LocalEdits { get; } = new(StringComparer.Ordinal);

    /// <summary>Every change offered to a target, in order.</summary>
    public ConcurrentQueue<(RecordKind Kind, string RemoteId, PullAction Action, bool MayBeApplied)> Offered { get; } = new();

    public ConcurrentQueue<PullConflict> Conflicts { get; } = new();

    /// <summary>Every job version applied, in order.</summary>
    public ConcurrentQueue<PulledJob> JobVersions { get; } = new();

    /// <summary>Runs before a change is applied: a test stops the host here (a kill mid-pull).</summary>
    public Func<PulledRecord, Task>? BeforeApply { get; set; }

    public bool WantsCustomFields { get; set; }

    public bool WantsJobCustomFields { get; set; }

    /// <summary>Every set of custom field definitions told to a target, with the kind told.</summary>
    public ConcurrentQueue<(RecordKind Kind, IReadOnlyList<PulledCustomFieldDefinition> Definitions)> Definitions { get; } = new();

    public int OffersOf(RecordKind kind) => Offered.Count(o => o.Kind == kind);

    public ISyncKitBuilder AddTo(ISyncKitBuilder builder) => builder.AddTarget(new ClientsTarget(this)).AddTarget(new JobsTarget(this)).AddTarget(new StaffTarget(this));

    private async Task OfferAsync<T>(PulledChange<T> change)
        where T : PulledRecord
    {
        Offered.Enqueue((change.Record.Kind, change.Record.RemoteId, change.Action, change.MayBeApplied));
        if (BeforeApply is { } before)
        {
            await before(change.Record);
        }
    }

    private sealed class ClientsTarget(PracticeBooks books) : ClientTarget
    {
        public override bool IncludeCustomFields => books.WantsCustomFields;

        public override Task OnCustomFieldDefinitionsAsync(string tenantId, IReadOnlyList<PulledCustomFieldDefinition> definitions, CancellationToken cancellationToken = default)
        {
            books.Definitions.Enqueue((RecordKind.Client, definitions));
            return Task.CompletedTask;
        }

        public override async Task<string?> ApplyAsync(PulledChange<PulledClient> change, CancellationToken cancellationToken = default)
        {
            await books.OfferAsync(change);
            var hostId = change.HostId ?? "c-" + change.Record.RemoteId;
            books.Clients[hostId] = change.Record;
            return hostId;
        }
    }

    private sealed class JobsTarget(PracticeBooks books) : JobTarget
    {
        public override bool IncludeCustomFields => books.WantsJobCustomFields;

        public override Task OnCustomFieldDefinitionsAsync(string tenantId, IReadOnlyList<PulledCustomFieldDefinition> definitions, CancellationToken cancellationToken = default)
        {
            books.Definitions.Enqueue((RecordKind.Job, definitions));
            return Task.CompletedTask;
        }

        public override ValueTask<bool> HasPendingChangeAsync(string tenantId, string hostId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(books.LocalEdits.ContainsKey(hostId));

        public override Task OnConflictAsync(PullConflict conflict, CancellationToken cancellationToken = default)
        {
            books.Conflicts.Enqueue(conflict);
            return Task.CompletedTask;
        }

        public override async Task<string?> ApplyAsync(PulledChange<PulledJob> change, CancellationToken cancellationToken = default)
        {
            await books.OfferAsync(change);
            var hostId = change.HostId ?? "j-" + change.Record.RemoteId;
            books.Jobs[hostId] = (change.Record, change.ParentHostId);
            books.JobVersions.Enqueue(change.Record);
            return hostId;
        }
    }

    private sealed class StaffTarget(PracticeBooks books) : SyncTarget<PulledStaff>
    {
        public override RecordKind Kind => RecordKind.Staff;

        public override async Task<string?> ApplyAsync(PulledChange<PulledStaff> change, CancellationToken cancellationToken = default)
        {
            await books.OfferAsync(change);
            var hostId = change.HostId ?? "s-" + change.Record.RemoteId;
            books.Staff[hostId] = change.Record;
            return hostId;
        }
    }
}
