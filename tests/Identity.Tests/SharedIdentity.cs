using Tasks.Testing;

namespace Identity.Tests;

/// <summary>The assembly's one identity service (<see cref="TestIdentity.SharedAsync"/>), for the classes that only add to its data.</summary>
public sealed class SharedIdentity : IAsyncLifetime
{
    public TestIdentity Identity { get; private set; } = null!;

    public async Task InitializeAsync() => Identity = await TestIdentity.SharedAsync();

    // The assembly's last user stops it (TestIdentity.SharedAsync).
    public Task DisposeAsync() => Task.CompletedTask;
}
