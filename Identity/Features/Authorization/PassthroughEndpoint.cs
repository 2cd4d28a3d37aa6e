using FastEndpoints;

namespace Identity.Features.Authorization;

/// <summary>
/// An OpenID Connect endpoint OpenIddict passes through once it has checked the request: GET and POST (the protocol
/// allows both), anonymous (the browser is who calls), and not part of the API document.
/// </summary>
public abstract class PassthroughEndpoint : EndpointWithoutRequest
{
    protected abstract string Path { get; }

    public override void Configure()
    {
        Verbs(Http.GET, Http.POST);
        Routes(Path);
        AllowAnonymous();
        Description(endpoint => endpoint.ExcludeFromDescription());
    }
}
