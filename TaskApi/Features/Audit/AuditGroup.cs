using FastEndpoints;

namespace TaskApi.Features.Audit;

/// <summary>The <c>/audit</c> route: who wrote what, at TaskApi and at the identity service.</summary>
public sealed class AuditGroup : Group
{
    public AuditGroup() => Configure("audit", endpoint => endpoint.Description(description => description.WithTags("Audit")));
}
