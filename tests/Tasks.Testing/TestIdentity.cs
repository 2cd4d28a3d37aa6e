using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Tasks.Shared;

namespace Tasks.Testing;

/// <summary>
/// The identity service as a real process over a database of its own, started once per test assembly and shared by
/// its tests: they authenticate through it as operators of each role and as registered apps, never by switching
/// authentication off. Its signing key is one the tests know, so a test can also sign a token with one defect.
/// </summary>
public sealed class TestIdentity : IAsyncDisposable
{
    public const string AdminLogin = FirstAdmin.Login;
    public const string AdminPassword = "the tests' admin password";

    /// <summary>TaskApi's client secret at the identity service, for reading revocations and audit events.</summary>
    public const string TaskApiClientSecret = "the tests' TaskApi client secret, 32 characters or more";

    /// <summary>Where the console's client is sent back to after a sign-in and a sign-out (<c>Identity:Console</c>).</summary>
    public const string ConsoleRedirectUri = "http://127.0.0.1:5090/signin-oidc";
    public const string ConsolePostLogoutRedirectUri = "http://127.0.0.1:5090/signout-callback-oidc";

    private static readonly Lazy<Task<TestIdentity>> Shared = new(StartSharedAsync);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _operatorTokens = new();
    private readonly HttpClient _http;
    private readonly RSA? _signingKey;

    private TestIdentity(PostgresDatabase database, ServiceProcess process, RSA? signingKey)
    {
        Database = database;
        Process = process;
        _signingKey = signingKey;
        _http = new HttpClient { BaseAddress = process.BaseAddress };
    }

    public PostgresDatabase Database { get; }
    public ServiceProcess Process { get; }
    public Uri BaseAddress => Process.BaseAddress;

    /// <summary>The RSA key every token of this identity service is signed with (unknown to the tests with stored keys).</summary>
    public RSA SigningKey => _signingKey
        ?? throw new InvalidOperationException("This identity service signs with a key it generated itself and keeps in its database.");

    /// <summary>The issuer its tokens name (its address).</summary>
    public string Issuer => BaseAddress.ToString();

    /// <summary>The one of this test assembly, started by the first test that asks.</summary>
    public static Task<TestIdentity> SharedAsync() => Shared.Value;

    private const string SyncIntervalSetting = "Auth:SyncInterval";

    /// <summary>What a TaskApi needs to validate this service's tokens, as configuration keys.</summary>
    public IReadOnlyDictionary<string, string> TaskApiSettings => new Dictionary<string, string>
    {
        // Aspire's service discovery resolves http://identity from this, as the AppHost's WithReference sets it.
        [$"services:{ResourceNames.Identity}:http:0"] = BaseAddress.ToString().TrimEnd('/'),
        ["Auth:ClientSecret"] = TaskApiClientSecret,
        // The token URL Swagger UI's "Authorize" posts to.
        ["Auth:IdentityPublicUrl"] = BaseAddress.ToString(),
        // Revocations read every 200 ms, so a test of them waits less.
        [SyncIntervalSetting] = "00:00:00.200",
        // End users' tokens (the in-app feed) from it too, as in the default run; the feed's tests use a stand-in issuer.
        ["Auth:Users:Authority"] = BaseAddress.ToString(),
        ["Auth:Users:Audience"] = Audiences.Feed,
    };

    /// <summary><see cref="TaskApiSettings"/> as environment variables, for a TaskApi process.</summary>
    public IReadOnlyDictionary<string, string> TaskApiEnvironment => AsEnvironment(TaskApiSettings);

    /// <summary>
    /// <see cref="TaskApiEnvironment"/> without the tests' short revocation interval, so TaskApi reads them at its own
    /// default, as in production: for benchmarks, which measure TaskApi as it runs there.
    /// </summary>
    public IReadOnlyDictionary<string, string> BenchmarkTaskApiEnvironment =>
        AsEnvironment(TaskApiSettings.Where(setting => setting.Key != SyncIntervalSetting));

    /// <summary>A fresh identity service over a fresh database, for tests that restart or reconfigure it.</summary>
    public static Task<TestIdentity> StartAsync(IReadOnlyDictionary<string, string>? settings = null, RSA? signingKey = null, PostgresDatabase? database = null) =>
        LaunchAsync(settings, signingKey ?? RSA.Create(2048), database);

    /// <summary>
    /// A fresh identity service given no keys, which generates them at its first start and keeps them in its database,
    /// as in development; another started over the same database finds them there.
    /// </summary>
    public static Task<TestIdentity> StartWithStoredKeysAsync(IReadOnlyDictionary<string, string>? settings = null, PostgresDatabase? database = null) =>
        LaunchAsync(settings, signingKey: null, database);

    /// <summary>Starts the process; without <paramref name="signingKey"/> the configuration gives it no keys.</summary>
    private static async Task<TestIdentity> LaunchAsync(IReadOnlyDictionary<string, string>? settings, RSA? signingKey, PostgresDatabase? database)
    {
        database ??= await PostgresDatabase.CreateAsync();
        var url = $"http://127.0.0.1:{FreePorts.Loopback()}";
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__identitydb"] = database.ConnectionString,
            ["ASPNETCORE_URLS"] = url,
            ["Identity__Url"] = url,
            ["Identity__AdminPassword"] = AdminPassword,
            ["Identity__ServiceClients__taskapi"] = TaskApiClientSecret,
            // Every test of the assembly takes tokens from one address.
            ["Identity__TokenRequestsPerSecond"] = "0",
            // Swagger UI of a test's TaskApi, on a port chosen after this starts, posts to the token endpoint.
            ["Identity__CorsOrigins__0"] = "*",
            ["Identity__Console__RedirectUris__0"] = ConsoleRedirectUri,
            ["Identity__Console__PostLogoutRedirectUris__0"] = ConsolePostLogoutRedirectUri,
        };
        if (signingKey is not null)
        {
            environment["Identity__SigningKeys__0"] = signingKey.ExportPkcs8PrivateKeyPem();
            environment["Identity__EncryptionKeys__0"] = Convert.ToBase64String(SHA256.HashData(signingKey.ExportRSAPublicKey()));
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        var process = await ServiceProcess.StartAsync("Identity", environment, StartTimeout);
        return new TestIdentity(database, process, signingKey);
    }

    /// <summary>An access token of an operator with <paramref name="role"/> (the built-in admin for admin), kept for the assembly's tests.</summary>
    public Task<string> OperatorTokenAsync(string role = Roles.Operator) =>
        // Lazy: GetOrAdd may run a factory twice when test classes ask at once, and the operator can be created once only.
        _operatorTokens.GetOrAdd(role, _ => new Lazy<Task<string>>(async () =>
        {
            if (role == Roles.Admin)
            {
                return await PasswordTokenAsync(AdminLogin, AdminPassword);
            }
            var login = $"test-{role}";
            await CreateOperatorAsync(login, $"{login} password", role);
            return await PasswordTokenAsync(login, $"{login} password");
        })).Value;

    /// <summary>A new operator; returns its id.</summary>
    public async Task<string> CreateOperatorAsync(string login, string password, string role)
    {
        var response = await SendAsAdminAsync(HttpMethod.Post, "/operators", new { login, password, role });
        return (await ReadAsync(response)).GetProperty("id").GetString()!;
    }

    /// <summary>The password grant, as an operator signs in.</summary>
    public async Task<string> PasswordTokenAsync(string login, string password)
    {
        var response = await _http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = login,
            ["password"] = password,
        }));
        return (await ReadAsync(response)).GetProperty("access_token").GetString()!;
    }

    /// <summary>A newly registered app with <paramref name="scopes"/>.</summary>
    public async Task<AppCredentials> RegisterAppAsync(params string[] scopes)
    {
        var response = await SendAsAdminAsync(HttpMethod.Post, "/apps", new { name = $"test app {Guid.NewGuid():N}", scopes });
        var credentials = (await ReadAsync(response)).GetProperty("credentials");
        return new AppCredentials(credentials.GetProperty("id").GetString()!, credentials.GetProperty("secret").GetString()!);
    }

    /// <summary>The client credentials grant, as an app gets a token (HTTP Basic).</summary>
    public async Task<string> AppTokenAsync(AppCredentials app)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        request.Headers.Authorization = app.BasicAuthorization();
        return (await ReadAsync(await _http.SendAsync(request))).GetProperty("access_token").GetString()!;
    }

    /// <summary>A request to the identity service's API as the admin.</summary>
    public async Task<HttpResponseMessage> SendAsAdminAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await OperatorTokenAsync(Roles.Admin));
        return await _http.SendAsync(request);
    }

    /// <summary>Stops the process (its database stays, for a test that starts another over it).</summary>
    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Process.DisposeAsync();
    }

    private static IReadOnlyDictionary<string, string> AsEnvironment(IEnumerable<KeyValuePair<string, string>> settings) =>
        settings.ToDictionary(setting => setting.Key.Replace(":", "__", StringComparison.Ordinal), setting => setting.Value);

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The identity service answered {(int)response.StatusCode}: {body}");
        }
        return JsonDocument.Parse(body).RootElement;
    }

    private static async Task<TestIdentity> StartSharedAsync()
    {
        var identity = await StartAsync();
        // The test host ends without disposing static fixtures: stop the process and drop its database then.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            identity.DisposeAsync().AsTask().GetAwaiter().GetResult();
            identity.Database.DisposeAsync().AsTask().GetAwaiter().GetResult();
        };
        return identity;
    }
}

/// <summary>A registered app's client id and secret.</summary>
public sealed record AppCredentials(string Id, string Secret)
{
    /// <summary>The HTTP Basic header a client authenticates with (RFC 6749 §2.3.1: each part form-encoded first).</summary>
    public AuthenticationHeaderValue BasicAuthorization() =>
        new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(Id)}:{Uri.EscapeDataString(Secret)}")));
}
