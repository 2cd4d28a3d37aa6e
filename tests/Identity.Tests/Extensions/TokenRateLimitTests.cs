using System.Net;
using Tasks.Testing;

namespace Identity.Tests.Extensions;

/// <summary>The token endpoint's and the login page's limits per client address, on an identity service of its own that allows 1 request a second, 2 at once.</summary>
public sealed class TokenRateLimitTests(TokenRateLimitTests.RateLimitedIdentity own) : IClassFixture<TokenRateLimitTests.RateLimitedIdentity>
{
    private const int Burst = 2;

    // Enough that even a machine stalled for seconds between them sends more than the burst and what refills meanwhile.
    private const int Requests = 12;

    public sealed class RateLimitedIdentity() : OwnIdentity(new Dictionary<string, string>
    {
        ["Identity__TokenRequestsPerSecond"] = "1",
        ["Identity__TokenRequestBurst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    private TestIdentity Identity => own.Current;

    [Fact]
    public async Task Post_BeyondTheBurst_Returns429WithRetryAfterAndAProblem()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, Requests).Select(_ => Identity.PasswordGrantAsync("nobody", "no password")));

        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        // The burst itself passes, to the endpoint's own answer.
        Assert.True(responses.Length - limited.Count >= Burst, $"Only {responses.Length - limited.Count} of {Requests} requests passed.");
        foreach (var response in limited)
        {
            Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
            await response.ProblemAsync(HttpStatusCode.TooManyRequests);
        }
    }

    [Fact]
    public async Task PostLogin_BeyondTheBurst_Returns429()
    {
        // Without an antiforgery token: the limit comes first, what passes it is refused by the page (400).
        using var http = new HttpClient { BaseAddress = Identity.BaseAddress };
        var responses = await Task.WhenAll(Enumerable.Range(0, Requests).Select(_ =>
            http.PostAsync("/account/login?returnUrl=%2F", new FormUrlEncodedContent(new Dictionary<string, string> { ["Login"] = "nobody", ["Password"] = "no password" }))));

        var limited = responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.InRange(limited, 1, Requests - Burst);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.TooManyRequests), r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
    }

    [Fact]
    public async Task Get_OtherRoutesBeyondTheBurst_AreNotLimited()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, Requests).Select(_ => Identity.SendAsync(HttpMethod.Get, "/.well-known/jwks", token: null)));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
    }
}
