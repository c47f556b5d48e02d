using Microsoft.AspNetCore.Http;

namespace SyncKit.AspNetCore.Connect;

/// <summary>Options of the Xero connect endpoints (<c>MapXeroConnect</c>).</summary>
/// <remarks>
/// The consent asks for the scopes of <see cref="Xero.XeroOptions.Scopes"/> (or those derived from the kinds synced), and
/// Xero sends the user back to <see cref="Xero.XeroOptions.RedirectUri"/>, which must be the callback endpoint
/// (<c>{prefix}/callback</c>) as registered for the app in the Xero developer portal.
/// </remarks>
public sealed class XeroConnectOptions
{
    /// <summary>
    /// The connection key the tokens of a new connection are stored under. Default: <c>user:</c> plus the signed-in user's
    /// name identifier, else a new random key per consent.
    /// </summary>
    /// <remarks>One key per Xero user is best: when the same Xero user consents again, Xero supersedes their earlier tokens.</remarks>
    public Func<HttpContext, string>? ConnectionKey { get; set; }

    /// <summary>
    /// Called with every outcome (connected, cancelled, limit reached, refused ...). Return a result to answer with it (a
    /// redirect to your own page); return null to show SyncKit's page.
    /// </summary>
    public Func<HttpContext, XeroConnectOutcome, Task<IResult?>>? OnOutcome { get; set; }

    /// <summary>
    /// The most organisations the app may have connected (its Xero plan's cap). Default: the cap of
    /// <see cref="Xero.XeroOptions.Tier"/> when set, else none. A new connection beyond it is refused with a clear page
    /// before the user is sent to Xero, where the consent would end on Xero's connection-limit page with nothing connected.
    /// </summary>
    public int? ConnectionLimit { get; set; }

    /// <summary>How long a started consent may take before its callback is refused (default 15 minutes).</summary>
    public TimeSpan ConsentLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The name of the cookie that carries the pending consent (state and PKCE verifier, data-protected).</summary>
    public string CookieName { get; set; } = ".SyncKit.XeroConnect";
}
