using Identity.Features.Tokens;
using Identity.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Identity.Pages.Account;

/// <summary>
/// <c>/account/login?returnUrl=</c>: an operator signs in with login and password into the identity service's session
/// cookie and goes back to <c>returnUrl</c>, the authorization request that sent it here. Antiforgery is on (Razor
/// Pages' default for a POST); only a local <c>returnUrl</c> is followed, so the page sends no one elsewhere.
/// </summary>
public sealed class LoginModel(OperatorCredentials credentials, SignInManager<Operator> signIn) : PageModel
{
    public const string Route = "/account/login";
    public const string ReturnUrlParameter = "returnUrl";

    /// <summary>One message for every refusal, as the password grant's: which check failed is never told.</summary>
    public const string Refusal = TokenEndpoint.SignInRefused;

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Login { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public bool Refused { get; private set; }

    /// <summary>The form is never framed by another site (clickjacking) nor kept by a cache.</summary>
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        Response.Headers.XFrameOptions = "DENY";
        Response.Headers.ContentSecurityPolicy = "frame-ancestors 'none'";
        Response.Headers.CacheControl = "no-store";
    }

    public IActionResult OnGet() => IsLocal(ReturnUrl) ? Page() : NonLocalReturnUrl();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!IsLocal(ReturnUrl))
        {
            return NonLocalReturnUrl();
        }
        if (await credentials.CheckAsync(Login, Password, "login page", ct) is not { } user)
        {
            Refused = true;
            Password = null;
            return Page();
        }
        await signIn.SignInAsync(user, isPersistent: false);
        return LocalRedirect(ReturnUrl!);
    }

    private bool IsLocal(string? returnUrl) => !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl);

    private BadRequestObjectResult NonLocalReturnUrl() =>
        BadRequest(new ValidationProblemDetails(new Dictionary<string, string[]>
        {
            [ReturnUrlParameter] = ["returnUrl must be a path on this site, such as the authorization request that sent you here."],
        })
        { Status = StatusCodes.Status400BadRequest });
}
