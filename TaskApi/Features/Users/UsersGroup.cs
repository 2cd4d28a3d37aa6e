using FastEndpoints;

namespace TaskApi.Features.Users;

/// <summary>The <c>/users</c> routes, the directory notifications are sent to: one endpoint per use case in the folders beside this file.</summary>
public sealed class UsersGroup : Group
{
    public UsersGroup() => Configure("users", endpoint =>
    {
        endpoint.Description(description => description.WithTags("Users"));
    });
}
