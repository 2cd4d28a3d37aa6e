using FastEndpoints;

namespace Identity.Features.UserTokens;

/// <summary>The <c>/user-tokens</c> routes: tokens of the integrating product's end users, for trying the in-app feed.</summary>
public sealed class UserTokensGroup : Group
{
    public UserTokensGroup() => Configure("user-tokens", endpoint => endpoint.Description(description => description.WithTags("UserTokens")));
}
