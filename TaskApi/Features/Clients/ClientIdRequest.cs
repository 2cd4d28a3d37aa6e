namespace TaskApi.Features.Clients;

/// <summary>The route of <c>/clients/{id}</c>.</summary>
public sealed class ClientIdRequest
{
    /// <summary>The client's id (an integer).</summary>
    public long Id { get; set; }
}
