using FastEndpoints;

namespace TaskApi.Features.Mailings;

/// <summary>The <c>/mailings</c> routes: one endpoint per use case in the folders beside this file.</summary>
public sealed class MailingsGroup : Group
{
    public MailingsGroup() => Configure("mailings", endpoint =>
    {
        endpoint.Description(description => description.WithTags("Mailings"));
    });
}
