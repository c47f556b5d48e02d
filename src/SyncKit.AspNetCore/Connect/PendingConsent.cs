using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;

namespace SyncKit.AspNetCore.Connect;

/// <summary>A consent the browser started: kept in a data-protected, HTTP-only cookie until Xero sends the user back.</summary>
internal sealed record PendingConsent
{
    [JsonPropertyName("s")]
    public required string State { get; init; }

    [JsonPropertyName("v")]
    public required string CodeVerifier { get; init; }

    [JsonPropertyName("k")]
    public required string ConnectionKey { get; init; }

    [JsonPropertyName("t")]
    public string? TenantId { get; init; }

    [JsonPropertyName("r")]
    public string? ReturnUrl { get; init; }

    [JsonPropertyName("e")]
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Whether the state Xero sent back is this consent's (constant-time: the state is a secret of this browser).</summary>
    public bool Matches(string? state) =>
        state is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(state), Encoding.UTF8.GetBytes(State));
}

/// <summary>Writes and reads the pending consent cookie.</summary>
internal sealed class PendingConsentCookie(IDataProtectionProvider dataProtection, XeroConnectOptions options, string path)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("SyncKit.AspNetCore.Connect.PendingConsent.v1");

    public void Write(HttpContext context, PendingConsent consent)
    {
        var payload = _protector.Protect(JsonSerializer.Serialize(consent, ConnectJsonContext.Default.PendingConsent));
        context.Response.Cookies.Append(options.CookieName, payload, Cookie(context, consent.ExpiresAt));
    }

    /// <summary>Reads the consent and deletes the cookie: a state is good for one callback.</summary>
    public PendingConsent? Take(HttpContext context)
    {
        var value = context.Request.Cookies[options.CookieName];
        context.Response.Cookies.Delete(options.CookieName, Cookie(context, null));
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(_protector.Unprotect(value), ConnectJsonContext.Default.PendingConsent);
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Lax, not Strict: the callback is a top-level navigation from Xero, which a Strict cookie would not accompany.
    private CookieOptions Cookie(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        Secure = context.Request.IsHttps,
        SameSite = SameSiteMode.Lax,
        Path = path,
        Expires = expires,
        IsEssential = true,
    };
}

[JsonSerializable(typeof(PendingConsent))]
internal sealed partial class ConnectJsonContext : JsonSerializerContext;
