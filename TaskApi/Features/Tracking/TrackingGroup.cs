using FastEndpoints;

namespace TaskApi.Features.Tracking;

/// <summary>The addresses in the emails themselves (<c>/t/...</c>, <c>/u/...</c>): mail readers and their users call them.</summary>
public sealed class TrackingGroup : Group
{
    public TrackingGroup() => Configure("", endpoint =>
    {
        // Tagged "Tracking" only: the automatic tag would be the first path segment ("t", "u").
        endpoint.DontAutoTag();
        endpoint.Description(description => description.WithTags("Tracking"));
    });
}
