namespace SmsGateway.Messages;

/// <summary>What the gateway received, for people and tests: <c>GET /messages</c>, <c>GET /messages/{id}</c>, <c>DELETE /messages</c>.</summary>
public static class MessagesEndpoints
{
    private const int MaxPageSize = 1000;

    public static IEndpointRouteBuilder MapMessages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/messages", List);
        app.MapGet("/messages/{id:long}", Get);
        app.MapDelete("/messages", Clear);
        return app;
    }

    private static IResult List(ReceivedMessages received, int page = 1, int pageSize = 100)
    {
        var errors = new Dictionary<string, string[]>();
        if (page < 1)
        {
            errors["page"] = ["'page' counts from 1."];
        }
        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"'pageSize' must be 1 to {MaxPageSize}."];
        }
        return errors.Count == 0 ? TypedResults.Ok(received.Page(page, pageSize)) : TypedResults.ValidationProblem(errors);
    }

    private static IResult Get(long id, ReceivedMessages received) =>
        received.Find(id) is { } message
            ? TypedResults.Ok(message)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No message with id {id} was received.");

    private static IResult Clear(ReceivedMessages received)
    {
        received.Clear();
        return TypedResults.NoContent();
    }
}
