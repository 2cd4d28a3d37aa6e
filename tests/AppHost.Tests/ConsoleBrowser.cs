using System.Net;
using System.Text.RegularExpressions;

namespace AppHost.Tests;

/// <summary>
/// A browser without JavaScript at the console: cookies kept, redirects followed one by one (each step of the sign-in can
/// be asserted on), the pages' antiforgery tokens read from their forms.
/// </summary>
public sealed partial class ConsoleBrowser(Uri consoleAddress) : IDisposable
{
    private const int MaxRedirects = 10;

    private readonly HttpClient _http = new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
    {
        BaseAddress = consoleAddress,
    };

    /// <summary>Every address the browser was sent to since it was made, in order.</summary>
    public List<Uri> Visited { get; } = [];

    /// <summary>The page at <paramref name="pathOrUrl"/> after following its redirects.</summary>
    public async Task<(Uri Address, HttpResponseMessage Response)> GetAsync(string pathOrUrl) =>
        await FollowAsync(new Uri(_http.BaseAddress!, pathOrUrl), await SendAsync(HttpMethod.Get, new Uri(_http.BaseAddress!, pathOrUrl)));

    /// <summary><paramref name="content"/> posted to <paramref name="path"/> as it is (no antiforgery token), its redirects followed.</summary>
    public async Task<(Uri Address, HttpResponseMessage Response)> PostAsync(string path, HttpContent content)
    {
        var url = new Uri(_http.BaseAddress!, path);
        return await FollowAsync(url, await SendAsync(HttpMethod.Post, url, content));
    }

    /// <summary>A form posted to <paramref name="url"/> with the antiforgery token of <paramref name="page"/>, its redirects followed.</summary>
    public async Task<(Uri Address, HttpResponseMessage Response)> PostFormAsync(Uri url, string page, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = AntiforgeryToken().Match(page) is { Success: true } token
            ? WebUtility.HtmlDecode(token.Groups["token"].Value)
            : throw new InvalidOperationException($"The page has no antiforgery token: {page}");
        return await FollowAsync(url, await SendAsync(HttpMethod.Post, url, new FormUrlEncodedContent(fields)));
    }

    /// <summary>
    /// The console's start with the sign-in it asks for: sent to the identity service's login page, the form posted with
    /// <paramref name="login"/> and <paramref name="password"/>, and back through the console's <c>/signin-oidc</c>.
    /// </summary>
    public async Task<(Uri Address, string Page)> SignInAsync(string login, string password)
    {
        var (loginAddress, loginPage) = await GetAsync("/");
        Assert.Equal("/account/login", loginAddress.AbsolutePath);
        var (address, response) = await PostFormAsync(new Uri(loginAddress, "/account/login"), await loginPage.Content.ReadAsStringAsync(), new()
        {
            ["ReturnUrl"] = System.Web.HttpUtility.ParseQueryString(loginAddress.Query)["returnUrl"]!,
            ["Login"] = login,
            ["Password"] = password,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (address, await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, HttpContent? content = null)
    {
        Visited.Add(url);
        return await _http.SendAsync(new HttpRequestMessage(method, url) { Content = content });
    }

    private async Task<(Uri Address, HttpResponseMessage Response)> FollowAsync(Uri address, HttpResponseMessage response)
    {
        for (var redirects = 0; response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther; redirects++)
        {
            Assert.True(redirects < MaxRedirects, $"More than {MaxRedirects} redirects: {string.Join(" → ", Visited)}");
            address = new Uri(address, response.Headers.Location!);
            response.Dispose();
            response = await SendAsync(HttpMethod.Get, address);
        }
        return (address, response);
    }

    [GeneratedRegex(@"name=""__RequestVerificationToken""[^>]*value=""(?<token>[^""]+)""")]
    private static partial Regex AntiforgeryToken();
}
