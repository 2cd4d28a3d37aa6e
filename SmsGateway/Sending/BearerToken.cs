using System.Security.Cryptography;
using System.Text;

namespace SmsGateway.Sending;

/// <summary>The caller's <c>Authorization: Bearer {token}</c> header against <see cref="GatewayOptions.Token"/>.</summary>
public static class BearerToken
{
    private const string Scheme = "Bearer ";

    public static bool IsAccepted(HttpRequest request, string expected)
    {
        if (expected.Length == 0)
        {
            return true;
        }
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        // In constant time, as a provider would compare a secret: how long a refusal takes says nothing about the token.
        return CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()), Encoding.UTF8.GetBytes(expected));
    }
}
