using FastEndpoints;

namespace TaskApi.Features.Lists;

/// <summary>The <c>/lists</c> routes, the subscriber lists email campaigns send to: one endpoint per use case in the folders beside this file.</summary>
public sealed class ListsGroup : Group
{
    public ListsGroup() => Configure("lists", endpoint =>
    {
        endpoint.Description(description => description.WithTags("Lists"));
    });
}
