using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace SyncKit.Testing.Storage;

/// <summary>
/// A fact of the store contract suite: skipped when the test class (or a base class) carries a
/// <see cref="StoreTestConditionAttribute"/> that gives a skip reason, for example a server that is not configured.
/// </summary>
[XunitTestCaseDiscoverer("SyncKit.Testing.Storage.StoreFactDiscoverer", "SyncKit.Testing")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>Put on a provider's test classes to skip the whole class when the provider cannot run here.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public abstract class StoreTestConditionAttribute : Attribute
{
    /// <summary>Why the tests are skipped, or null to run them.</summary>
    /// <returns>The reason, or null.</returns>
    public abstract string? GetSkipReason();
}

/// <summary>Discovers <see cref="StoreFactAttribute"/> tests as <see cref="StoreTestCase"/>s.</summary>
/// <param name="diagnosticMessageSink">xunit's diagnostic sink.</param>
public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    /// <inheritdoc />
    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        new StoreTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
}

/// <summary>A contract test case whose skip reason comes from the concrete test class's conditions.</summary>
public sealed class StoreTestCase : XunitTestCase
{
    /// <summary>For the de-serializer only.</summary>
    [Obsolete("Called by the de-serializer only.")]
    public StoreTestCase()
    {
    }

    /// <summary>Creates a test case.</summary>
    /// <param name="diagnosticMessageSink">xunit's diagnostic sink.</param>
    /// <param name="defaultMethodDisplay">How to display the method.</param>
    /// <param name="defaultMethodDisplayOptions">Display options.</param>
    /// <param name="testMethod">The test method.</param>
    public StoreTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay defaultMethodDisplay, TestMethodDisplayOptions defaultMethodDisplayOptions, ITestMethod testMethod)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod)
    {
    }

    /// <inheritdoc />
    protected override string GetSkipReason(IAttributeInfo factAttribute) => ConditionSkipReason() ?? base.GetSkipReason(factAttribute);

    /// <inheritdoc />
    /// <remarks>
    /// A skipped test's name carries the reason's first clause ("... — PostgreSQL tests skipped: SYNCKIT_TEST_POSTGRES
    /// is not set"): <c>dotnet test</c> prints skip reasons only at detailed verbosity, but names at every verbosity.
    /// </remarks>
    protected override string GetDisplayName(IAttributeInfo factAttribute, string displayName)
    {
        var name = base.GetDisplayName(factAttribute, displayName);
        if (ConditionSkipReason() is not { } reason)
        {
            return name;
        }

        var clause = reason.IndexOf(" (", StringComparison.Ordinal) is var at and > 0 ? reason[..at] : reason;
        return $"{name} — {clause.TrimEnd('.')}";
    }

    private string? ConditionSkipReason()
    {
        if (TestMethod.TestClass.Class is IReflectionTypeInfo { Type: { } type })
        {
            foreach (var condition in type.GetCustomAttributes(typeof(StoreTestConditionAttribute), inherit: true).Cast<StoreTestConditionAttribute>())
            {
                if (condition.GetSkipReason() is { } reason)
                {
                    return reason;
                }
            }
        }

        return null;
    }
}
