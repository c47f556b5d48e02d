using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SyncKit.AspNetCore.Tests.Dashboard;

/// <summary>A test sign-in: the <c>X-Test-User</c> header names the user; <c>X-Test-Role</c> adds a role. No header: anonymous.</summary>
internal sealed class HeaderAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "TestHeader";
    public const string UserHeader = "X-Test-User";
    public const string RoleHeader = "X-Test-Role";

    /// <summary>The policy the secured dashboards require: a signed-in user in the SyncAdmin role.</summary>
    public const string SyncAdmins = "SyncAdmins";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Headers[UserHeader].ToString() is not { Length: > 0 } user)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, user) };
        if (Request.Headers[RoleHeader].ToString() is { Length: > 0 } role)
        {
            claims.Add(new Claim(ClaimTypes.Role, role));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
