using SyncKit.Testing.Emulator.State;

namespace SyncKit.Testing.Emulator.PracticeManager;

/// <summary>A Practice Manager practice: staff, clients, jobs, job costs, job states and the WIP lock date.</summary>
internal sealed class PracticeState
{
    public static readonly (string Name, string InterfaceCode)[] States =
    [
        ("Planned", "PLANNED"),
        ("In Progress", "INPROGRESS"),
        ("On Hold", "ONHOLD"),
        ("Completed", "COMPLETED"),
    ];

    public DateOnly? WipLockDate { get; set; }

    public List<Staff> StaffMembers { get; } = [];

    public List<Client> Clients { get; } = [];

    public List<Job> Jobs { get; } = [];

    public List<Cost> Costs { get; } = [];

    public int JobSequence { get; set; }

    /// <summary>The practice's custom field definitions (Admin → Custom Fields).</summary>
    public List<CustomFieldDefinition> CustomFieldDefinitions { get; } = [];

    /// <summary>Custom field values by (client UUID or job number, definition UUID).</summary>
    public Dictionary<(string Owner, Guid Definition), string> CustomFieldValues { get; } = [];

    public static PracticeState Seed(IdGenerator ids, DateOnly? wipLockDate)
    {
        var practice = new PracticeState { WipLockDate = wipLockDate };
        practice.StaffMembers.Add(new Staff(ids.NewGuid(), "Alex Partner", "alex@practice.example"));
        practice.StaffMembers.Add(new Staff(ids.NewGuid(), "Sam Accountant", "sam@practice.example"));
        return practice;
    }

    /// <summary>Resolves a state given by name or interface code; null when unknown.</summary>
    public static string? StateName(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var compact = value.Replace(" ", string.Empty, StringComparison.Ordinal);
        foreach (var (name, code) in States)
        {
            if (string.Equals(name, value, StringComparison.OrdinalIgnoreCase) || string.Equals(code, compact, StringComparison.OrdinalIgnoreCase))
            {
                return name;
            }
        }

        return null;
    }

    public Job? FindJob(string id) => Jobs.FirstOrDefault(j => string.Equals(j.Id, id, StringComparison.OrdinalIgnoreCase));

    internal sealed record Staff(Guid Uuid, string Name, string Email);

    internal sealed class Client
    {
        public required Guid Uuid { get; init; }

        public required string Name { get; set; }

        public string? Email { get; set; }

        public string? Phone { get; set; }

        public bool IsArchived { get; set; }

        /// <summary>When the client last changed (for <c>modifiedsince</c>; XPM does not show it).</summary>
        public DateTimeOffset Modified { get; set; }
    }

    internal sealed class Job
    {
        public required string Id { get; init; }

        public required Guid Uuid { get; init; }

        public required string Name { get; set; }

        public string? Description { get; set; }

        public required Guid ClientUuid { get; set; }

        public required string State { get; set; }

        public DateOnly StartDate { get; set; }

        public DateOnly DueDate { get; set; }

        public bool Deleted { get; set; }

        /// <summary>When the job last changed.</summary>
        public DateTimeOffset Modified { get; set; }
    }

    /// <summary>A custom field definition: its type (Text, Number, Decimal, Boolean, Date, LinkURL) and what it applies to.</summary>
    internal sealed record CustomFieldDefinition(Guid Uuid, string Name, string Type, bool LinkClient, bool LinkJob);

    internal sealed class Cost
    {
        public required Guid Uuid { get; init; }

        public required string JobId { get; init; }

        public required DateOnly Date { get; init; }

        public string? Description { get; init; }

        public string? Code { get; init; }

        public string? Note { get; init; }

        public decimal Quantity { get; init; }

        public decimal UnitCost { get; init; }

        public decimal UnitPrice { get; init; }

        public bool Billable { get; init; }
    }
}
