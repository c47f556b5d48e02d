// The web sample: a host's web app over the Xero emulator and the demo data (filled in by the dashboard and connect work).
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/", () => "SyncKit web sample");
app.Run();

/// <summary>The sample's entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
