using System.Net;
using Tasks.Shared;
using Tasks.Testing;

namespace Identity.Tests.Features.Sync;

/// <summary><c>GET /sync/revocations</c>: what TaskApi refuses tokens by.</summary>
public sealed class ListRevocationsTests(SharedIdentity shared) : IClassFixture<SharedIdentity>
{
    // PostgreSQL keeps microseconds; .NET times have ten times finer ticks.
    private static readonly TimeSpan StoragePrecision = TimeSpan.FromMilliseconds(1);

    private TestIdentity Identity => shared.Identity;

    [Fact]
    public async Task Get_AfterRotationWithOverlap_ListsTheAppFromTheOverlapsEnd()
    {
        var app = await Identity.RegisterAppAsync(Scopes.Tasks);
        var before = DateTimeOffset.UtcNow;

        var rotated = await Identity.RotateSecretAsync(app, overlapSeconds: 3600);

        var revocation = Assert.Single(await Identity.RevocationsAsync(), r => r.Subject == app.Id);
        Assert.True(revocation.EffectiveAt > DateTimeOffset.UtcNow, $"Effective at {revocation.EffectiveAt:O}, not in the future.");
        Assert.Equal(rotated.PreviousSecretValidUntil!.Value, revocation.EffectiveAt, StoragePrecision);
        AssertCoversTokensIssuedUntil(revocation, before);
    }

    [Fact]
    public async Task Get_AfterRotationWithoutOverlap_ListsTheAppAtOnce()
    {
        var app = await Identity.RegisterAppAsync(Scopes.Tasks);
        var before = DateTimeOffset.UtcNow;

        await Identity.RotateSecretAsync(app, overlapSeconds: 0);

        AssertEffectiveAtOnce(Assert.Single(await Identity.RevocationsAsync(), r => r.Subject == app.Id), before, DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Get_AfterDisablingAnApp_ListsTheAppAtOnce()
    {
        var app = await Identity.RegisterAppAsync(Scopes.Tasks);
        var before = DateTimeOffset.UtcNow;

        await (await Identity.PatchAppAsync(app.Id, new { disabled = true })).JsonAsync(HttpStatusCode.OK);

        AssertEffectiveAtOnce(Assert.Single(await Identity.RevocationsAsync(), r => r.Subject == app.Id), before, DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Get_AfterDeletingAnApp_ListsTheAppAtOnce()
    {
        var app = await Identity.RegisterAppAsync(Scopes.Tasks);
        var before = DateTimeOffset.UtcNow;

        await (await Identity.DeleteAppAsync(app.Id)).JsonAsync(HttpStatusCode.NoContent);

        AssertEffectiveAtOnce(Assert.Single(await Identity.RevocationsAsync(), r => r.Subject == app.Id), before, DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Get_AfterDisablingAnOperator_ListsTheOperatorAtOnce()
    {
        var account = await Identity.NewOperatorAsync(Roles.Operator, "revoked");
        var before = DateTimeOffset.UtcNow;

        await (await Identity.PatchOperatorAsync(account.Id, new { disabled = true })).JsonAsync(HttpStatusCode.OK);

        AssertEffectiveAtOnce(Assert.Single(await Identity.RevocationsAsync(), r => r.Subject == account.Id), before, DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Get_AppNeitherDisabledNorRotated_IsNotListed()
    {
        var app = await Identity.RegisterAppAsync(Scopes.Tasks);

        await (await Identity.PatchAppAsync(app.Id, new { name = "renamed, scopes kept" })).JsonAsync(HttpStatusCode.OK);

        Assert.DoesNotContain(await Identity.RevocationsAsync(), r => r.Subject == app.Id);
    }

    [Fact]
    public async Task Get_AdminsToken_Returns403NamingTheSyncScope()
    {
        var response = await Identity.SendAsync(HttpMethod.Get, "/sync/revocations", await Identity.OperatorTokenAsync(Roles.Admin));

        Assert.Contains($"'{Scopes.IdentitySync}'", (await response.ProblemAsync(HttpStatusCode.Forbidden)).GetProperty("detail").GetString());
    }

    private static void AssertEffectiveAtOnce(Revocation revocation, DateTimeOffset before, DateTimeOffset after)
    {
        Assert.InRange(revocation.EffectiveAt, before - StoragePrecision, after + StoragePrecision);
        AssertCoversTokensIssuedUntil(revocation, before);
    }

    /// <summary>Every token issued before the change is covered: iat is in whole seconds, so the boundary is the second after it.</summary>
    private static void AssertCoversTokensIssuedUntil(Revocation revocation, DateTimeOffset before) =>
        Assert.True(revocation.NotBefore > before, $"Tokens issued before {revocation.NotBefore:O} are revoked, not those until {before:O}.");
}
