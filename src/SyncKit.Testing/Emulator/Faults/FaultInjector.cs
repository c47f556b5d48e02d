using SyncKit.Testing.Emulator.State;

namespace SyncKit.Testing.Emulator.Faults;

/// <summary>Fault rules, matched by method, path and tenant, spent by count or drawn by seeded probability.</summary>
internal sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly IdGenerator _dice;
    private readonly List<Rule> _rules = [];

    public FaultInjector(IdGenerator dice) => _dice = dice;

    public Guid Add(EmulatorFault fault, Guid id)
    {
        lock (_gate)
        {
            _rules.Add(new Rule(id, fault) { Remaining = fault.Count });
            return id;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    /// <summary>The faults that hit this call, in the order they were added (each rule at most once).</summary>
    public IReadOnlyList<EmulatorFault> Match(string method, string path, Guid? tenantId, bool requirePath)
    {
        lock (_gate)
        {
            var hits = new List<EmulatorFault>();
            foreach (var rule in _rules)
            {
                var fault = rule.Fault;
                if (rule.Remaining is <= 0
                    || (requirePath && fault.Path is null)
                    || (fault.Method is not null && !string.Equals(fault.Method, method, StringComparison.OrdinalIgnoreCase))
                    || (fault.Path is not null && !path.Contains(fault.Path, StringComparison.OrdinalIgnoreCase))
                    || (fault.TenantId is not null && fault.TenantId != tenantId))
                {
                    continue;
                }

                if (fault.Probability is { } p && _dice.NextDouble() >= p)
                {
                    continue;
                }

                if (rule.Remaining is not null)
                {
                    rule.Remaining--;
                }

                hits.Add(fault);
            }

            _rules.RemoveAll(r => r.Remaining is <= 0);
            return hits;
        }
    }

    private sealed record Rule(Guid Id, EmulatorFault Fault)
    {
        public int? Remaining { get; set; }
    }
}
