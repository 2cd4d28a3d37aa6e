using FastEndpoints;

namespace TaskApi.Features.Clients;

/// <summary>The <c>/clients</c> routes, the directory SMS mailings send to: one endpoint per use case in the folders beside this file.</summary>
public sealed class ClientsGroup : Group
{
    public ClientsGroup() => Configure("clients", endpoint =>
    {
        endpoint.Description(description => description.WithTags("Clients"));
    });
}
