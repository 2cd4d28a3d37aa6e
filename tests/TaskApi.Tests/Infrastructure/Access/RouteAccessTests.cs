using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tasks.Shared;

namespace TaskApi.Tests.Infrastructure.Access;

/// <summary>
/// Every route the API maps, read from its own route table (not a list kept here), refuses a caller without a token,
/// except the routes public by design; and the role or scope an endpoint declares decides the rest.
/// </summary>
public sealed class RouteAccessTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    /// <summary>The probes, the tracking and unsubscribe links in emails, the API document and its UI.</summary>
    private static readonly string[] PublicPrefixes = ["/health", "/alive", "/t/", "/u/", "/openapi/", "/swagger"];

    [Fact]
    public async Task Anonymous_EveryRouteButThePublicOnes_Answers401ProblemWithBearerChallenge()
    {
        using var anonymous = api.CreateClient(token: null);
        var routes = MappedRoutes().Where(route => !IsPublic(route.Path)).ToList();
        Assert.True(routes.Count >= 40, $"Only {routes.Count} routes found: the route table was not read.");

        foreach (var (verb, path) in routes)
        {
            using var request = new HttpRequestMessage(new HttpMethod(verb), Filled(path));
            if (verb is "POST" or "PUT" or "PATCH")
            {
                request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            }
            using var response = await anonymous.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{verb} {path} answered {(int)response.StatusCode} without a token");
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            await response.ReadProblemAsync(401);
        }
    }

    [Fact]
    public async Task Anonymous_PublicRoutes_AnswerWithoutAChallenge()
    {
        using var anonymous = api.CreateClient(token: null);
        var publicRoutes = MappedRoutes().Where(route => IsPublic(route.Path)).ToList();
        Assert.Contains(publicRoutes, route => route.Path.StartsWith("/u/", StringComparison.Ordinal));
        Assert.Contains(publicRoutes, route => route.Path.StartsWith("/t/", StringComparison.Ordinal));

        foreach (var (verb, path) in publicRoutes.Append(("GET", "/openapi/v1.json")).Append(("GET", "/swagger")))
        {
            using var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(verb), Filled(path)));

            Assert.True(response.StatusCode != HttpStatusCode.Unauthorized, $"{verb} {path} asked for a token");
            Assert.True((int)response.StatusCode < 500, $"{verb} {path} answered {(int)response.StatusCode}");
        }
    }

    [Theory]
    [InlineData(Roles.Viewer, "POST", "/tasks", "the role 'admin' or 'operator', or the scope 'tasks'")]
    [InlineData(Roles.Viewer, "DELETE", "/mailings/1", "the role 'admin' or 'operator', or the scope 'mailings'")]
    [InlineData(Roles.Viewer, "POST", "/templates", "the role 'admin' or 'operator', or the scope 'campaigns'")]
    [InlineData(Roles.Operator, "GET", "/audit", "the role 'admin'")]
    public async Task Operator_WithoutTheRole_Answers403ProblemNamingIt(string role, string verb, string path, string missing)
    {
        using var client = api.CreateClient(await api.Identity.OperatorTokenAsync(role));

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(verb), path) { Content = JsonBody(verb) });

        var problem = await response.ReadProblemAsync(403);
        Assert.Contains(missing, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("GET", "/mailings", "mailings")]
    [InlineData("GET", "/clients", "mailings")]
    [InlineData("GET", "/campaigns", "campaigns")]
    [InlineData("GET", "/reports/daily?date=2026-01-01", "campaigns")]
    [InlineData("GET", "/audit", "role 'admin'")]
    public async Task App_WithoutTheScope_Answers403ProblemNamingIt(string verb, string path, string missing)
    {
        var app = await api.Identity.RegisterAppAsync(Scopes.Tasks);
        using var client = api.CreateClient(await api.Identity.AppTokenAsync(app));

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(verb), path));

        var problem = await response.ReadProblemAsync(403);
        Assert.Contains(missing, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(Roles.Viewer, "GET", "/tasks")]
    [InlineData(Roles.Viewer, "GET", "/mailings/stats")]
    [InlineData(Roles.Viewer, "GET", "/templates")]
    [InlineData(Roles.Operator, "POST", "/tasks")]
    [InlineData(Roles.Admin, "GET", "/audit")]
    public async Task Operator_WithTheRole_IsLetThrough(string role, string verb, string path)
    {
        using var client = api.CreateClient(await api.Identity.OperatorTokenAsync(role));

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(verb), path) { Content = JsonBody(verb, """{"name":"allowed"}""") });

        Assert.True(response.IsSuccessStatusCode, $"{role}: {verb} {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    [Theory]
    [InlineData(Scopes.Tasks, "POST", "/tasks")]
    [InlineData(Scopes.Mailings, "GET", "/clients")]
    [InlineData(Scopes.Campaigns, "GET", "/lists")]
    public async Task App_WithTheScope_IsLetThrough(string scope, string verb, string path)
    {
        var app = await api.Identity.RegisterAppAsync(scope);
        using var client = api.CreateClient(await api.Identity.AppTokenAsync(app));

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(verb), path) { Content = JsonBody(verb, """{"name":"allowed"}""") });

        Assert.True(response.IsSuccessStatusCode, $"{scope}: {verb} {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Every verb and route pattern the API maps, as <c>("GET", "/tasks/{id}")</c>.</summary>
    private List<(string Verb, string Path)> MappedRoutes() =>
        [.. api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(endpoint => (Path: "/" + endpoint.RoutePattern.RawText!.Trim('/'), Verbs: endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]))
            // FastEndpoints maps "/_test_url_cache_" in the Testing environment for its own test helpers.
            .Where(route => !route.Path.StartsWith("/_", StringComparison.Ordinal))
            .SelectMany(route => route.Verbs.Select(verb => (verb, route.Path)))];

    private static bool IsPublic(string path) => PublicPrefixes.Any(prefix => path.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>A concrete path: each route parameter filled with a value its type takes ("{id}" of a task takes a GUID, of a client a number).</summary>
    private static string Filled(string pattern) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, @"\{(\w+)(:[^}]*)?\}", match => pattern.StartsWith("/tasks", StringComparison.Ordinal)
            ? Guid.NewGuid().ToString()
            : match.Groups[1].Value == "token" ? "not-a-token" : "1");

    private static StringContent? JsonBody(string verb, string json = "{}") =>
        verb is "POST" or "PUT" or "PATCH" ? new StringContent(json, System.Text.Encoding.UTF8, "application/json") : null;
}
