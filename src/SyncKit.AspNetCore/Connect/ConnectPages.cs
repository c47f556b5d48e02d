using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace SyncKit.AspNetCore.Connect;

/// <summary>SyncKit's own plain pages for each outcome, used when the host's callback answers none.</summary>
internal static class ConnectPages
{
    public static IResult For(XeroConnectOutcome outcome)
    {
        var (title, status) = outcome.Result switch
        {
            XeroConnectResult.Connected => ("Connected to Xero", StatusCodes.Status200OK),
            XeroConnectResult.Reconnected => ("Reconnected to Xero", StatusCodes.Status200OK),
            XeroConnectResult.Cancelled => ("Connecting to Xero was cancelled", StatusCodes.Status200OK),
            XeroConnectResult.ConnectionLimitReached => ("Xero connection limit reached", StatusCodes.Status409Conflict),
            XeroConnectResult.OtherOrganisation => ("Another organisation was connected", StatusCodes.Status409Conflict),
            XeroConnectResult.UnknownTenant => ("Unknown organisation", StatusCodes.Status404NotFound),
            XeroConnectResult.InvalidState => ("This Xero sign-in cannot be completed", StatusCodes.Status400BadRequest),
            XeroConnectResult.Refused => ("Not allowed", StatusCodes.Status403Forbidden),
            _ => ("Connecting to Xero failed", StatusCodes.Status502BadGateway),
        };

        var html = new StringBuilder()
            .Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(Encode(title)).Append("</title></head><body>")
            .Append("<h1>").Append(Encode(title)).Append("</h1><p>").Append(Encode(outcome.Message)).Append("</p>");
        if (outcome.Connections.Count > 0)
        {
            html.Append("<ul>");
            foreach (var connection in outcome.Connections)
            {
                html.Append("<li>").Append(Encode(connection.TenantName ?? connection.TenantId)).Append("</li>");
            }

            html.Append("</ul>");
        }

        if (outcome.ReturnUrl is { } back)
        {
            html.Append("<p><a href=\"").Append(HtmlEncoder.Default.Encode(back)).Append("\">Continue</a></p>");
        }

        html.Append("</body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);
}
