using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Tasks.Shared;
using Tasks.Testing;

namespace Identity.Tests.Features.Authorization;

/// <summary>
/// The console's side of the authorization code flow as a browser makes it: cookies kept, redirects not followed, so
/// each step's answer can be asserted on; a PKCE verifier and a state of its own.
/// </summary>
public sealed partial class ConsoleBrowser(TestIdentity identity) : IDisposable
{
    public const string LoginPath = "/account/login";

    private readonly HttpClient _http = new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
    {
        BaseAddress = identity.BaseAddress,
    };

    public string Verifier { get; } = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public string State { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The console's authorization request; without <paramref name="pkce"/> it carries no code challenge.</summary>
    public string AuthorizePath(string redirectUri = TestIdentity.ConsoleRedirectUri, bool pkce = true, string? prompt = null)
    {
        var query = new Dictionary<string, string>
        {
            ["client_id"] = ServiceClients.Console,
            ["redirect_uri"] = redirectUri,
            ["response_type"] = "code",
            ["scope"] = "openid profile offline_access",
            ["state"] = State,
        };
        if (pkce)
        {
            query["code_challenge"] = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));
            query["code_challenge_method"] = "S256";
        }
        if (prompt is not null)
        {
            query["prompt"] = prompt;
        }
        return "/connect/authorize?" + string.Join('&', query.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
    }

    public static string LoginPathReturningTo(string returnUrl) => $"{LoginPath}?returnUrl={Uri.EscapeDataString(returnUrl)}";

    public Task<HttpResponseMessage> GetAsync(string pathOrUrl) => _http.GetAsync(pathOrUrl);

    /// <summary>
    /// The login page's form posted with <paramref name="returnUrl"/> and the antiforgery token of the page (left out
    /// when <paramref name="withAntiforgery"/> is false). The page is read for a local return address, so a test can
    /// post any other the page itself would not have served.
    /// </summary>
    public async Task<HttpResponseMessage> PostLoginAsync(string returnUrl, string login, string password, bool withAntiforgery = true)
    {
        using var served = await GetAsync(LoginPathReturningTo("/"));
        var page = await served.Content.ReadAsStringAsync();
        var form = new Dictionary<string, string> { ["ReturnUrl"] = returnUrl, ["Login"] = login, ["Password"] = password };
        if (withAntiforgery)
        {
            form["__RequestVerificationToken"] = AntiforgeryToken().Match(page) is { Success: true } token
                ? WebUtility.HtmlDecode(token.Groups["token"].Value)
                : throw new InvalidOperationException($"The login page has no antiforgery token: {page}");
        }
        return await _http.PostAsync(LoginPath, new FormUrlEncodedContent(form));
    }

    /// <summary>
    /// The whole sign-in of <paramref name="account"/>: the authorization request, the login page, back to the
    /// authorization request; the final redirect to the console, asserted to carry a code and the state.
    /// </summary>
    public async Task<string> SignInForCodeAsync(OperatorAccount account)
    {
        using var challenge = await GetAsync(AuthorizePath());
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var returnUrl = ReturnUrlOf(challenge.Headers.Location!);
        using var signedIn = await PostLoginAsync(returnUrl, account.Login, account.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(returnUrl, signedIn.Headers.Location!.OriginalString);
        using var authorized = await GetAsync(returnUrl);
        var parameters = RedirectParameters(authorized, TestIdentity.ConsoleRedirectUri);
        Assert.Equal(State, parameters["state"]);
        return parameters["code"];
    }

    /// <summary>The code exchanged at the token endpoint with <paramref name="verifier"/> (the browser's own unless given).</summary>
    public Task<HttpResponseMessage> RedeemAsync(string code, string? verifier = null) =>
        identity.RequestTokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = ServiceClients.Console,
            ["code"] = code,
            ["redirect_uri"] = TestIdentity.ConsoleRedirectUri,
            ["code_verifier"] = verifier ?? Verifier,
        });

    /// <summary>The <c>returnUrl</c> a challenge to the login page carries, after asserting it goes there.</summary>
    public static string ReturnUrlOf(Uri location)
    {
        var login = location.IsAbsoluteUri ? location : new Uri(new Uri("http://any"), location);
        Assert.Equal(LoginPath, login.AbsolutePath, ignoreCase: true);
        return QueryParameters(login.Query)["returnUrl"];
    }

    /// <summary>The query parameters of a redirect to <paramref name="redirectUri"/>, after asserting it goes there.</summary>
    public static IReadOnlyDictionary<string, string> RedirectParameters(HttpResponseMessage response, string redirectUri)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal(redirectUri, location.GetLeftPart(UriPartial.Path));
        return QueryParameters(location.Query);
    }

    private static Dictionary<string, string> QueryParameters(string query) =>
        query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => Uri.UnescapeDataString(pair[1].Replace('+', ' ')), StringComparer.OrdinalIgnoreCase);

    public void Dispose() => _http.Dispose();

    [GeneratedRegex(@"name=""__RequestVerificationToken""[^>]*value=""(?<token>[^""]+)""")]
    private static partial Regex AntiforgeryToken();
}
