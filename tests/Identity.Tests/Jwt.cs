using System.Buffers.Text;
using System.Text.Json;

namespace Identity.Tests;

/// <summary>A JWT's header and payload as they are written, without validating it: what a token carries.</summary>
public static class Jwt
{
    public static JsonElement Header(string token) => Part(token, 0);

    public static JsonElement Payload(string token) => Part(token, 1);

    /// <summary><paramref name="token"/> with its payload replaced and its signature kept, as a forger would try.</summary>
    public static string WithPayload(string token, Func<string, string> change)
    {
        var parts = token.Split('.');
        var payload = System.Text.Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]));
        parts[1] = Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(change(payload)));
        return string.Join('.', parts);
    }

    private static JsonElement Part(string token, int index) =>
        JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[index])).RootElement.Clone();
}
