using FastEndpoints;

namespace Identity.Features.Operators;

/// <summary>The <c>/operators</c> routes: the people who work with the system, managed by admins.</summary>
public sealed class OperatorsGroup : Group
{
    public OperatorsGroup() => Configure("operators", endpoint => endpoint.Description(description => description.WithTags("Operators")));
}
