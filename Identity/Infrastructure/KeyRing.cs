using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Identity.Infrastructure;

/// <summary>
/// The keys tokens are signed and encrypted with. From the configuration when it gives them (a deployment's secret
/// store; rolled over by putting the new key first and keeping the old one behind it), otherwise generated at the first
/// start and kept in the database, so tokens issued before a restart stay valid after it. Loaded once at start-up,
/// after the migrations, before the first request.
/// </summary>
public sealed class KeyRing
{
    private IReadOnlyList<SecurityKey>? _signingKeys;
    private IReadOnlyList<SecurityKey>? _encryptionKeys;

    /// <summary>The first signs; all are published in the JWKS.</summary>
    public IReadOnlyList<SecurityKey> SigningKeys => _signingKeys ?? throw NotLoaded();

    /// <summary>The first encrypts; all decrypt.</summary>
    public IReadOnlyList<SecurityKey> EncryptionKeys => _encryptionKeys ?? throw NotLoaded();

    public async Task LoadAsync(IdentityServiceOptions options, IdentityDb db, TimeProvider clock, CancellationToken ct)
    {
        var signing = options.SigningKeys.Count > 0
            ? options.SigningKeys
            : await StoredOrNewAsync(db, StoredKey.Signing, () => RSA.Create(2048).ExportPkcs8PrivateKeyPem(), clock, ct);
        var encryption = options.EncryptionKeys.Count > 0
            ? options.EncryptionKeys
            : await StoredOrNewAsync(db, StoredKey.Encryption, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), clock, ct);
        _signingKeys = [.. signing.Select(SigningKey)];
        _encryptionKeys = [.. encryption.Select(EncryptionKey)];
    }

    /// <summary>An RSA key from PEM, named by its RFC 7638 thumbprint so its <c>kid</c> is the same wherever and whenever it is loaded.</summary>
    public static SecurityKey SigningKey(string pem)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (ArgumentException e)
        {
            throw new OptionsValidationException(nameof(IdentityServiceOptions.SigningKeys), typeof(IdentityServiceOptions),
                [$"Identity:SigningKeys holds a value that is not an RSA private key in PEM: {e.Message}"]);
        }
        var key = new RsaSecurityKey(rsa);
        key.KeyId = Base64UrlEncoder.Encode(new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: false)).ComputeJwkThumbprint());
        return key;
    }

    private static SecurityKey EncryptionKey(string base64)
    {
        var bytes = Convert.TryFromBase64String(base64, new byte[base64.Length], out var length) && length == 32
            ? Convert.FromBase64String(base64)
            : throw new OptionsValidationException(nameof(IdentityServiceOptions.EncryptionKeys), typeof(IdentityServiceOptions),
                ["Identity:EncryptionKeys holds a value that is not 32 bytes in base64."]);
        return new SymmetricSecurityKey(bytes);
    }

    /// <summary>
    /// The stored keys of one use, newest first; one generated and stored when there is none (the caller holds the lock
    /// that makes instances starting together generate one, not two).
    /// </summary>
    private static async Task<IReadOnlyList<string>> StoredOrNewAsync(IdentityDb db, string use, Func<string> generate, TimeProvider clock, CancellationToken ct)
    {
        var stored = await db.Keys.Where(k => k.Use == use).OrderByDescending(k => k.Id).Select(k => k.Material).ToListAsync(ct);
        if (stored.Count == 0)
        {
            var material = generate();
            db.Keys.Add(new StoredKey { Use = use, Material = material, CreatedAt = clock.GetUtcNow() });
            await db.SaveChangesAsync(ct);
            stored.Add(material);
        }
        return stored;
    }

    private static InvalidOperationException NotLoaded() => new("The key ring is read before it was loaded at start-up.");
}
