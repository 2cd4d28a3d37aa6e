using Npgsql;
using TaskApi.Infrastructure;
using Tasks.ApiDefaults;

namespace TaskApi.Tests.Infrastructure;

public sealed class ConnectionDefaultsTests
{
    [Theory]
    [InlineData("Host=127.0.0.1;Port=5432;Username=postgres;Password=p;Database=tasksdb")]
    [InlineData("Host=localhost;Database=tasksdb")]
    public void Apply_LoopbackServerWithoutTheSettings_DisablesTlsAndPreparesStatements(string connectionString)
    {
        var applied = new NpgsqlConnectionStringBuilder(ConnectionDefaults.Apply(connectionString));

        Assert.Equal(SslMode.Disable, applied.SslMode);
        Assert.Equal(20, applied.MaxAutoPrepare);
        Assert.True(applied.NoResetOnClose);
        Assert.Equal("tasksdb", applied.Database);
    }

    [Fact]
    public void Apply_SettingsGivenInAnySpelling_KeepsTheirValues()
    {
        var applied = new NpgsqlConnectionStringBuilder(ConnectionDefaults.Apply(
            "Host=127.0.0.1;sslmode=Require;MaxAutoPrepare=0;No Reset On Close=false"));

        Assert.Equal(SslMode.Require, applied.SslMode);
        Assert.Equal(0, applied.MaxAutoPrepare);
        Assert.False(applied.NoResetOnClose);
    }

    [Fact]
    public void Apply_RemoteServer_LeavesTlsToNpgsqlsDefault()
    {
        var applied = new NpgsqlConnectionStringBuilder(ConnectionDefaults.Apply("Host=db.example.com;Database=tasksdb"));

        Assert.Equal(SslMode.Prefer, applied.SslMode);
        Assert.Equal(20, applied.MaxAutoPrepare);
    }
}
