using SyncKit.Testing.Emulator;

namespace SyncKit.Testing.Tests;

public sealed class DocumentationTests
{
    private static string? Docs()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "docs", "emulator.md");
            if (File.Exists(path) && File.Exists(Path.Combine(dir.FullName, "SyncKit.sln")))
            {
                return File.ReadAllText(path);
            }
        }

        return null;
    }

    [Fact]
    public void Message_table_in_the_docs_lists_every_message_with_its_source()
    {
        var docs = Docs();
        Assert.NotNull(docs);
        foreach (var message in XeroMessages.All)
        {
            var row = docs!.Split('\n').FirstOrDefault(l => l.StartsWith($"| `{message.Key}` |", StringComparison.Ordinal));
            Assert.True(row is not null, message.Key + " is missing from docs/emulator.md");
            Assert.Contains(message.Template.Replace("|", "\\|", StringComparison.Ordinal), row, StringComparison.Ordinal);
            Assert.Equal(message.IsApproximation, row!.Contains("**approximation**", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Unconfirmed_wordings_are_flagged_as_approximations()
    {
        Assert.True(XeroMessages.ContactArchived.IsApproximation);
        Assert.True(XeroMessages.PaymentAccountInvalid.IsApproximation);
        Assert.False(XeroMessages.DuplicateContactName.IsApproximation);
        Assert.False(XeroMessages.PeriodLockDate.IsApproximation);
    }
}
