using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Identity.Infrastructure;
using Microsoft.Extensions.Options;
using Tasks.Testing;

namespace Identity.Tests.Infrastructure;

/// <summary>
/// The keys tokens are signed with: kept in the database when the configuration gives none, so a restart keeps issued
/// tokens valid; rolled over by configuration, the old key behind the new one. Each test on identity services of its own.
/// </summary>
public sealed class KeyRingTests
{
    [Fact]
    public async Task Restart_KeysKeptInTheDatabase_TokensIssuedBeforeStayValid()
    {
        await using var identity = await OwnIdentity.StartAsync();
        var signedIn = await AdminSignInAsync(identity.Current);
        var kid = Assert.Single(await PublishedKeysAsync(identity.Current)).Kid;

        await identity.RestartAsync();

        Assert.Equal(kid, Assert.Single(await PublishedKeysAsync(identity.Current)).Kid);
        Assert.Equal(HttpStatusCode.OK, await identity.Current.AdminRouteStatusAsync(signedIn.AccessToken));
        var refreshed = await (await identity.Current.RefreshGrantAsync(signedIn.RefreshToken!)).TokenAsync();
        Assert.Equal(HttpStatusCode.OK, await identity.Current.AdminRouteStatusAsync(refreshed.AccessToken));
        // One key of each use, generated at the first start only.
        Assert.Equal(2L, await identity.Current.Database.ScalarAsync<long>("SELECT count(*) FROM keys"));
    }

    [Fact]
    public async Task Restart_NewKeyBeforeTheOld_BothPublishedOldTokensValidNewTokensSignedWithTheNew()
    {
        using var oldKey = RSA.Create(2048);
        using var newKey = RSA.Create(2048);
        await using var identity = await OwnIdentity.StartAsync(oldKey);
        var oldToken = await AdminTokenAsync(identity.Current);
        Assert.Equal(ModulusOf(oldKey), Signer(await PublishedKeysAsync(identity.Current), oldToken).Modulus);

        await identity.RestartAsync(newKey, oldKey);

        var published = await PublishedKeysAsync(identity.Current);
        Assert.Equal(new[] { ModulusOf(oldKey), ModulusOf(newKey) }.Order(StringComparer.Ordinal), published.Select(key => key.Modulus).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.OK, await identity.Current.AdminRouteStatusAsync(oldToken));
        var newToken = await AdminTokenAsync(identity.Current);
        Assert.Equal(ModulusOf(newKey), Signer(published, newToken).Modulus);

        // Once the old key is no longer configured, its tokens are refused: what kept them valid was the key behind.
        await identity.RestartAsync(newKey);

        Assert.Equal(ModulusOf(newKey), Assert.Single(await PublishedKeysAsync(identity.Current)).Modulus);
        Assert.Equal(HttpStatusCode.Unauthorized, await identity.Current.AdminRouteStatusAsync(oldToken));
        Assert.Equal(HttpStatusCode.OK, await identity.Current.AdminRouteStatusAsync(newToken));
    }

    [Fact]
    public void SigningKey_Pem_KidIsTheKeysRfc7638Thumbprint()
    {
        using var rsa = RSA.Create(2048);
        var key = rsa.ExportParameters(includePrivateParameters: false);
        // RFC 7638 §3.2: the required members in lexicographic order, no whitespace.
        var canonicalJwk = $$"""{"e":"{{Base64Url.EncodeToString(key.Exponent)}}","kty":"RSA","n":"{{Base64Url.EncodeToString(key.Modulus)}}"}""";

        var signingKey = KeyRing.SigningKey(rsa.ExportPkcs8PrivateKeyPem());

        Assert.Equal(Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalJwk))), signingKey.KeyId);
    }

    [Fact]
    public void SigningKey_NotAKey_ThrowsNamingTheSetting()
    {
        var refusal = Assert.Throws<OptionsValidationException>(() => KeyRing.SigningKey("not a key"));

        Assert.Contains("Identity:SigningKeys", refusal.Message);
    }

    private static async Task<TokenAnswer> AdminSignInAsync(TestIdentity identity) =>
        await (await identity.PasswordGrantAsync(TestIdentity.AdminLogin, TestIdentity.AdminPassword)).TokenAsync();

    private static async Task<string> AdminTokenAsync(TestIdentity identity) => (await AdminSignInAsync(identity)).AccessToken;

    private static string KidOf(string token) => Jwt.Header(token).GetProperty("kid").GetString()!;

    private static string ModulusOf(RSA key) => Base64Url.EncodeToString(key.ExportParameters(includePrivateParameters: false).Modulus);

    /// <summary>The published key whose kid <paramref name="token"/> names.</summary>
    private static PublishedKey Signer(IReadOnlyList<PublishedKey> published, string token) => Assert.Single(published, key => key.Kid == KidOf(token));

    private sealed record PublishedKey(string Kid, string Modulus);

    private static async Task<IReadOnlyList<PublishedKey>> PublishedKeysAsync(TestIdentity identity)
    {
        var jwks = await (await identity.SendAsync(HttpMethod.Get, "/.well-known/jwks", token: null)).JsonAsync(HttpStatusCode.OK);
        return [.. jwks.GetProperty("keys").EnumerateArray().Select(key => new PublishedKey(key.GetProperty("kid").GetString()!, key.GetProperty("n").GetString()!))];
    }
}
