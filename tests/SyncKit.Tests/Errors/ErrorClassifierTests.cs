using SyncKit.Errors;
using SyncKit.Records;

namespace SyncKit.Tests.Errors;

public sealed class ErrorClassifierTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> EngineRuleIds()
    {
        var data = new TheoryData<string>();
        foreach (var rule in EngineErrorRules.All)
        {
            data.Add(rule.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EngineRuleIds))]
    public void EveryEngineRule_MatchesItsExamples_AndClassifiesThemAsItself(string ruleId)
    {
        var rule = EngineErrorRules.All.Single(r => r.Id == ruleId);
        var classifier = new ErrorClassifier([new ErrorRuleRegistration(EngineErrorRules.All, ErrorRuleRegistration.EngineOrder)]);
        Assert.NotEmpty(rule.Examples);
        foreach (var example in rule.Examples)
        {
            Assert.True(rule.Matches(example));
            var error = classifier.Classify(example, s_now);
            Assert.Equal(rule.Id, error.RuleId);
            Assert.Equal(rule.Category, error.Category);
            Assert.NotEmpty(error.Resolution);
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
        }
    }

    [Fact]
    public void EveryEngineRule_HasAUniqueId_AReason_AndResolutionSteps()
    {
        Assert.Equal(EngineErrorRules.All.Count, EngineErrorRules.All.Select(r => r.Id).Distinct().Count());
        Assert.All(EngineErrorRules.All, r =>
        {
            Assert.False(string.IsNullOrWhiteSpace(r.Reason));
            Assert.NotEmpty(r.Resolution);
        });
    }

    [Fact]
    public void UnknownFailure_IsUnclassified_AndKeepsTheLedgersOwnMessage()
    {
        var classifier = new ErrorClassifier([new ErrorRuleRegistration(EngineErrorRules.All, ErrorRuleRegistration.EngineOrder)]);
        var error = classifier.Classify(new SyncFailure { Source = FailureSource.Remote, StatusCode = 400, Messages = ["Something Xero has never said before"] }, s_now);
        Assert.Equal(ErrorCategories.Unclassified, error.Category);
        Assert.Equal("Something Xero has never said before", error.Message);
        Assert.Equal(ErrorDisposition.UserAction, error.Disposition);
    }

    [Fact]
    public void FailureWithoutAnyMessage_StillGetsANonEmptyMessage()
    {
        var classifier = new ErrorClassifier([]);
        var error = classifier.Classify(new SyncFailure { Source = FailureSource.Remote, StatusCode = 500 }, s_now);
        Assert.Contains("HTTP 500", error.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorDisposition.RetryLater, error.Disposition);
    }

    [Fact]
    public void HostRuleWithABuiltInId_ReplacesTheBuiltInRule()
    {
        var host = new ErrorRulesBuilder().Add(new ErrorRule
        {
            Id = "engine.lock-date",
            Category = "OurLockDates",
            Disposition = ErrorDisposition.UserAction,
            Reason = "Period closed",
            Codes = [FailureCodes.LockDate],
        });
        var classifier = new ErrorClassifier(
        [
            new ErrorRuleRegistration(EngineErrorRules.All, ErrorRuleRegistration.EngineOrder),
            new ErrorRuleRegistration(host.Rules, ErrorRuleRegistration.HostOrder),
        ]);

        var error = classifier.Classify(new SyncFailure { Source = FailureSource.Validation, Code = FailureCodes.LockDate, Messages = ["x"] }, s_now);
        Assert.Equal("OurLockDates", error.Category);
        Assert.Single(classifier.Rules, r => r.Id == "engine.lock-date");
    }

    [Fact]
    public void HostRulesFromJson_MatchByPatternAndKind()
    {
        var host = new ErrorRulesBuilder().AddJson("""
            [
              {
                "id": "host.po-closed",
                "category": "PurchaseOrderClosed",
                "disposition": "UserAction",
                "reason": "Purchase order closed",
                "resolution": ["Reopen the purchase order in Xero, then retry."],
                "messagePattern": "purchase order .* is closed",
                "kinds": ["PurchaseOrder"]
              }
            ]
            """);
        var classifier = new ErrorClassifier([new ErrorRuleRegistration(host.Rules, ErrorRuleRegistration.HostOrder)]);

        var match = classifier.Classify(new SyncFailure { Source = FailureSource.Remote, Kind = RecordKind.PurchaseOrder, Messages = ["Purchase order PO-1 is closed"] }, s_now);
        var otherKind = classifier.Classify(new SyncFailure { Source = FailureSource.Remote, Kind = RecordKind.Invoice, Messages = ["Purchase order PO-1 is closed"] }, s_now);

        Assert.Equal("PurchaseOrderClosed", match.Category);
        Assert.Equal(["Reopen the purchase order in Xero, then retry."], match.Resolution);
        Assert.Equal(ErrorCategories.Unclassified, otherKind.Category);
    }

    [Fact]
    public void InvalidRulesJson_IsRefusedWithTheReason()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ErrorRulesBuilder().AddJson("[{\"id\": \"x\"}]"));
        Assert.Contains("JSON", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ResolutionText_NamesTheFailuresDetails()
    {
        var classifier = new ErrorClassifier([new ErrorRuleRegistration(EngineErrorRules.All, ErrorRuleRegistration.EngineOrder)]);
        var error = classifier.Classify(
            new SyncFailure { Source = FailureSource.Validation, Code = FailureCodes.AccountArchived, Messages = ["m"], Details = new Dictionary<string, string> { ["AccountCode"] = "310" } },
            s_now);
        Assert.Contains(error.Resolution, step => step.Contains("310", StringComparison.Ordinal));
    }

    [Fact]
    public void RuleWithoutCriteria_MatchesNothing()
    {
        var rule = new ErrorRule { Id = "empty", Category = "C", Disposition = ErrorDisposition.UserAction, Reason = "R" };
        Assert.False(rule.Matches(new SyncFailure { Source = FailureSource.Remote, Messages = ["anything"] }));
    }
}

public sealed class ErrorRuleTests
{
    [Fact]
    public void ACopyWithAnotherPattern_MatchesByItsOwnPattern()
    {
        var rule = new ErrorRule { Id = "r", Category = "C", Disposition = ErrorDisposition.UserAction, Reason = "R", MessagePattern = "alpha" };
        Assert.True(rule.Matches(new SyncFailure { Source = FailureSource.Remote, Messages = ["alpha"] }));

        var copy = rule with { MessagePattern = "beta" };

        Assert.True(copy.Matches(new SyncFailure { Source = FailureSource.Remote, Messages = ["beta"] }));
        Assert.False(copy.Matches(new SyncFailure { Source = FailureSource.Remote, Messages = ["alpha"] }));
    }

    [Fact]
    public void WriteMayHaveLanded_IsACriterionAsData()
    {
        var rule = new ErrorRule { Id = "r", Category = "C", Disposition = ErrorDisposition.Reconcile, Reason = "R", WriteMayHaveLanded = true };
        Assert.True(rule.Matches(new SyncFailure { Source = FailureSource.Remote, StatusCode = 500, WriteMayHaveLanded = true }));
        Assert.False(rule.Matches(new SyncFailure { Source = FailureSource.Remote, StatusCode = 500 }));
    }
}
