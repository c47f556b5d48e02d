using System.Security.Cryptography;
using System.Text;
using SyncKit.Xero;

namespace SyncKit.AspNetCore.Webhooks;

/// <summary>
/// Xero's events carry no id: an event is known by what it says (tenant, category, type, record, time). A redelivery or a
/// replayed request says the same, so it gets the same identity and is stored once.
/// </summary>
internal static class WebhookEventIdentity
{
    public static string Of(XeroWebhookEvent e)
    {
        var text = string.Join('\n', e.TenantId, e.Category.ToUpperInvariant(), e.Type.ToUpperInvariant(), e.ResourceId, e.OccurredAt?.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
