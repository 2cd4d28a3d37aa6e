using FastEndpoints;

namespace TaskApi.Features.Templates;

/// <summary>The <c>/templates</c> routes, the email templates campaigns send: one endpoint per use case in the folders beside this file.</summary>
public sealed class TemplatesGroup : Group
{
    public TemplatesGroup() => Configure("templates", endpoint =>
    {
        endpoint.Description(description => description.WithTags("Templates"));
    });
}
