using System.Security.Cryptography;
using Tasks.Testing;

namespace Identity.Tests;

/// <summary>
/// An identity service over a database of its own, for tests that change what the shared one must keep (its only admin,
/// its rate limit, its keys). It can be stopped and started again over the same database at the same address (the
/// issuer its tokens name), as a restart or a redeployment with other keys would. Disposing it stops the process and
/// drops the database. As a class fixture it starts with keys it generates and keeps in its database.
/// </summary>
public class OwnIdentity : IAsyncLifetime
{
    private readonly IReadOnlyDictionary<string, string> _settings;
    private PostgresDatabase? _database;
    private TestIdentity? _current;

    public OwnIdentity() : this(new Dictionary<string, string>())
    {
    }

    /// <param name="settings">Environment variables of every process it starts, beside TestIdentity's.</param>
    protected OwnIdentity(IReadOnlyDictionary<string, string> settings) => _settings = settings;

    /// <summary>The process running now.</summary>
    public TestIdentity Current => _current ?? throw new InvalidOperationException("The identity service is not running.");

    /// <summary>A new one signing with <paramref name="signingKeys"/> as configured (the first signs); none: keys it generates and keeps.</summary>
    public static async Task<OwnIdentity> StartAsync(params RSA[] signingKeys)
    {
        var own = new OwnIdentity();
        try
        {
            await own.StartOverAsync(signingKeys);
            return own;
        }
        catch
        {
            await own.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the process and starts another over the same database at the same address, configured with <paramref name="signingKeys"/>.</summary>
    public async Task RestartAsync(params RSA[] signingKeys)
    {
        var address = Current.BaseAddress;
        await Current.DisposeAsync();
        _current = null;
        _current = await LaunchAsync(signingKeys, address);
    }

    public Task InitializeAsync() => StartOverAsync([]);

    public async Task DisposeAsync()
    {
        if (_current is not null)
        {
            await _current.DisposeAsync();
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private async Task StartOverAsync(RSA[] signingKeys)
    {
        _database = await PostgresDatabase.CreateAsync();
        _current = await LaunchAsync(signingKeys, address: null);
    }

    private Task<TestIdentity> LaunchAsync(RSA[] signingKeys, Uri? address)
    {
        var settings = new Dictionary<string, string>(_settings);
        if (address is not null)
        {
            settings["ASPNETCORE_URLS"] = settings["Identity__Url"] = address.GetLeftPart(UriPartial.Authority);
        }
        // The first key is TestIdentity's own setting; the ones behind it are only published and trusted.
        for (var index = 1; index < signingKeys.Length; index++)
        {
            settings[$"Identity__SigningKeys__{index}"] = signingKeys[index].ExportPkcs8PrivateKeyPem();
        }
        return signingKeys.Length == 0
            ? TestIdentity.StartWithStoredKeysAsync(settings, _database)
            : TestIdentity.StartAsync(settings, signingKeys[0], _database);
    }
}
