using System.Runtime.Versioning;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace AppHost.Tests;

/// <summary>
/// The secrets the AppHost generates (<c>tracking-key</c>, <c>sms-token</c>, <c>admin-password</c>,
/// <c>taskapi-client-secret</c>) are kept in the data folder, so a restart
/// changes none. Each "run" is the real AppHost's Program declaring its model on a data folder, held before it builds the
/// application: once built, the Program goes on to <c>Run()</c>, which starts DCP and every project (tens of seconds).
/// </summary>
public sealed class GeneratedSecretTests : IDisposable
{
    private static readonly string[] GeneratedSecrets = ["tracking-key", "sms-token", "admin-password", "taskapi-client-secret"];

    // Servers given by connection string, so that no PostgreSQL cluster is created in each data folder (initdb takes seconds).
    private static readonly string[] GivenServers =
    [
        "--ConnectionStrings:tasksdb=Host=127.0.0.1;Database=unused",
        "--ConnectionStrings:identitydb=Host=127.0.0.1;Database=unused",
        "--ConnectionStrings:redis=127.0.0.1:1",
    ];

    private readonly List<string> _dataDirectories = [];

    public void Dispose()
    {
        foreach (var directory in _dataDirectories.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task AddGeneratedSecret_SameDataFolderTwice_GivesTheSameSecrets()
    {
        var dataDirectory = NewDataDirectory();

        var first = await RunAndReadSecretsAsync(dataDirectory);
        var second = await RunAndReadSecretsAsync(dataDirectory);

        Assert.Equal(first, second);
        Assert.All(first.Values, value => Assert.Matches("^[A-Za-z0-9]{32,}$", value));
        Assert.NotEqual(first["tracking-key"], first["sms-token"]);
    }

    [Fact]
    public async Task AddGeneratedSecret_FreshDataFolder_GeneratesNewSecrets()
    {
        var first = await RunAndReadSecretsAsync(NewDataDirectory());
        var second = await RunAndReadSecretsAsync(NewDataDirectory());

        Assert.All(GeneratedSecrets, name => Assert.NotEqual(first[name], second[name]));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task AddGeneratedSecret_FirstRun_KeepsEachSecretInAFileOnlyItsOwnerCanReadOrWrite()
    {
        var dataDirectory = NewDataDirectory();

        var secrets = await RunAndReadSecretsAsync(dataDirectory);

        var folder = Path.Combine(dataDirectory, "secrets");
        Assert.Equal(GeneratedSecrets.Order(), Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        foreach (var name in GeneratedSecrets)
        {
            var file = Path.Combine(folder, name);
            Assert.Equal(secrets[name], await File.ReadAllTextAsync(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public async Task AddGeneratedSecret_ParameterGiven_WinsOverTheKeptSecretAndLeavesItKept()
    {
        var dataDirectory = NewDataDirectory();
        var kept = await RunAndReadSecretsAsync(dataDirectory);
        var given = $"given{Guid.NewGuid():N}";

        var secrets = await RunAndReadSecretsAsync(dataDirectory, $"--Parameters:tracking-key={given}");

        Assert.Equal(given, secrets["tracking-key"]);
        Assert.Equal(kept["sms-token"], secrets["sms-token"]);
        Assert.Equal(kept, await RunAndReadSecretsAsync(dataDirectory));
    }

    [Fact]
    public async Task AddGeneratedSecret_KeptSecretEditedByHand_GivesTheEditedValueWithoutTheLineBreak()
    {
        var dataDirectory = NewDataDirectory();
        await RunAndReadSecretsAsync(dataDirectory);
        var edited = $"edited{Guid.NewGuid():N}";
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "secrets", "sms-token"), edited + "\n");

        var secrets = await RunAndReadSecretsAsync(dataDirectory);

        Assert.Equal(edited, secrets["sms-token"]);
    }

    [Fact]
    public async Task AddGeneratedSecret_KeptSecretEmptied_FailsNamingTheFileToDelete()
    {
        var dataDirectory = NewDataDirectory();
        await RunAndReadSecretsAsync(dataDirectory);
        var file = Path.Combine(dataDirectory, "secrets", "tracking-key");
        await File.WriteAllTextAsync(file, "");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAndReadSecretsAsync(dataDirectory));

        Assert.Equal($"{file} is empty: delete it to have a new secret generated, or set Parameters__tracking-key", error.Message);
    }

    private string NewDataDirectory()
    {
        var directory = AppHostProcess.NewDataDirectory();
        _dataDirectories.Add(directory);
        return directory;
    }

    /// <summary>The generated secrets' values, as a run of the AppHost on <paramref name="dataDirectory"/> gives them to the services.</summary>
    private static async Task<IReadOnlyDictionary<string, string?>> RunAndReadSecretsAsync(string dataDirectory, params string[] settings)
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            // The identity service's port is checked while declaring the model: a free one, whatever else runs on this machine.
            ["--AppHost:Containers=false", "--data-dir", dataDirectory, "--identity-url", AppHostProcess.FreeUrl(), .. GivenServers, .. settings]);
        var parameters = builder.Resources.OfType<ParameterResource>().ToList();
        var secrets = new Dictionary<string, string?>();
        foreach (var name in GeneratedSecrets)
        {
            var parameter = Assert.Single(parameters, parameter => parameter.Name == name);
            Assert.True(parameter.Secret, name);
            secrets[name] = await parameter.GetValueAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        }
        return secrets;
    }
}
