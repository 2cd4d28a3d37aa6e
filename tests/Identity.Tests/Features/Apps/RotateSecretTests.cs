using System.Net;
using Tasks.Shared;
using Tasks.Testing;

namespace Identity.Tests.Features.Apps;

/// <summary><c>POST /apps/{id}/secret</c>: a new secret, the old one working on for the overlap.</summary>
public sealed class RotateSecretTests(SharedIdentity shared) : IClassFixture<SharedIdentity>
{
    // Identity:SecretOverlap's default, which the shared instance keeps.
    private static readonly TimeSpan MaximumOverlap = TimeSpan.FromHours(24);

    private TestIdentity Identity => shared.Identity;

    [Fact]
    public async Task Post_DefaultOverlap_OldAndNewSecretBothIssueTokens()
    {
        var app = await Identity.RegisterAppAsync(Scopes.Tasks);

        var rotated = await Identity.RotateSecretAsync(app);

        Assert.NotEqual(app.Secret, rotated.Credentials.Secret);
        Assert.InRange(rotated.PreviousSecretValidUntil!.Value, DateTimeOffset.UtcNow + MaximumOverlap - TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow + MaximumOverlap);
        await (await Identity.ClientCredentialsGrantAsync(app)).TokenAsync();
        await (await Identity.ClientCredentialsGrantAsync(rotated.Credentials)).TokenAsync();
    }

    [Fact]
    public async Task Post_ZeroOverlap_OldSecretIsRefusedAtOnce()
    {
        var app = await Identity.RegisterAppAsync(Scopes.Tasks);

        var rotated = await Identity.RotateSecretAsync(app, overlapSeconds: 0);

        Assert.Null(rotated.PreviousSecretValidUntil);
        Assert.Equal("invalid_client", (await (await Identity.ClientCredentialsGrantAsync(app)).TokenErrorAsync(HttpStatusCode.Unauthorized)).Error);
        await (await Identity.ClientCredentialsGrantAsync(rotated.Credentials)).TokenAsync();
    }

    [Fact]
    public async Task Post_ShortOverlap_TokenGotWithTheOldSecretExpiresWithinTheOverlap()
    {
        const int overlapSeconds = 120;
        var app = await Identity.RegisterAppAsync(Scopes.Tasks);

        var rotated = await Identity.RotateSecretAsync(app, overlapSeconds);

        var withOldSecret = await (await Identity.ClientCredentialsGrantAsync(app)).TokenAsync();
        Assert.InRange(withOldSecret.ExpiresIn, 1, overlapSeconds);
        var payload = Jwt.Payload(withOldSecret.AccessToken);
        Assert.True(payload.GetProperty("exp").GetInt64() <= rotated.PreviousSecretValidUntil!.Value.ToUnixTimeSeconds() + 1,
            $"The token expires at {payload.GetProperty("exp")}, after the old secret ({rotated.PreviousSecretValidUntil:O}).");
        // The new secret's token lives its full hour.
        var withNewSecret = await (await Identity.ClientCredentialsGrantAsync(rotated.Credentials)).TokenAsync();
        Assert.True(withNewSecret.ExpiresIn > overlapSeconds, $"A token of the new secret expires in {withNewSecret.ExpiresIn} s.");
    }

    [Fact]
    public async Task Post_OverlapAboveTheMaximum_IsCutToIt()
    {
        var app = await Identity.RegisterAppAsync(Scopes.Tasks);

        var rotated = await Identity.RotateSecretAsync(app, (int)(MaximumOverlap * 10).TotalSeconds);

        Assert.InRange(rotated.PreviousSecretValidUntil!.Value, DateTimeOffset.UtcNow + MaximumOverlap - TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow + MaximumOverlap);
    }

    [Fact]
    public async Task Post_NegativeOverlap_Returns400NamingOverlapSeconds()
    {
        var app = await Identity.RegisterAppAsync(Scopes.Tasks);

        var response = await Identity.SendAsAdminAsync(HttpMethod.Post, $"/apps/{app.Id}/secret", new { overlapSeconds = -1 });

        Assert.Equal(["overlapSeconds"], await response.InvalidFieldsAsync());
    }

    [Theory]
    [InlineData("app-nosuchapp")]
    [InlineData(ServiceClients.TaskApi)]
    public async Task Post_AppThatIsNotRegistered_Returns404(string id)
    {
        var response = await Identity.SendAsAdminAsync(HttpMethod.Post, $"/apps/{id}/secret", new { });

        await response.ProblemAsync(HttpStatusCode.NotFound);
    }
}
