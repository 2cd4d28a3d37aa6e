using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;
using Tasks.Shared;

namespace TaskApi.Features.DeadLetters.ListDeadLetters;

/// <summary><c>GET /dead-letters</c>: a page of dead letters, newest first, optionally of one topic, reason text and state.</summary>
public sealed class ListDeadLettersEndpoint(TasksDbContext db) : Endpoint<ListDeadLettersRequest, ItemsPage<DeadLetterSummary>>
{
    public override void Configure()
    {
        Get("/");
        Group<DeadLettersGroup>();
        Policies(ApiAccess.DeadLettersRead);
        Description(endpoint => endpoint.WithName("ListDeadLetters").ProducesValidationProblem());
        Summary(summary =>
        {
            summary.Summary = "List dead letters, newest first";
            summary.Description = "Every record that reached a *.dlq topic, as TaskApi stored it. Optionally only those of a topic (the one they " +
                "came from, or the dead-letter topic), whose reason contains a text (in any case), or in a state (state=waiting: the total is " +
                "the dead letters waiting for an operator); " + Paging.Description + ".";
        });
    }

    public override async Task<ItemsPage<DeadLetterSummary>> ExecuteAsync(ListDeadLettersRequest request, CancellationToken ct)
    {
        var deadLetters = db.DeadLetters.AsNoTracking();
        if (request.Topic is { } topic)
        {
            // Each name is one or the other, so each filter reads its own index.
            deadLetters = KafkaTopics.DeadLetterTopics.Contains(topic)
                ? deadLetters.Where(d => d.Topic == topic)
                : deadLetters.Where(d => d.SourceTopic == topic);
        }
        if (!string.IsNullOrEmpty(request.Reason))
        {
            deadLetters = deadLetters.Where(d => EF.Functions.ILike(d.Reason, $"%{LikeEscaped(request.Reason)}%", @"\"));
        }
        if (request.State is { } state)
        {
            var wanted = StatusNames<DeadLetterState>.Parse(state);
            deadLetters = deadLetters.Where(d => d.State == wanted);
        }
        var page = await deadLetters.OrderByDescending(d => d.Id).ToPageAsync(request, DeadLetterSummary.Listed, ct);
        return new ItemsPage<DeadLetterSummary>(page.Items.Select(DeadLetterSummary.From).ToList(), page.Page, page.PageSize, page.Total, page.TotalCapped);
    }

    /// <summary>The text with LIKE's wildcards and the escape character escaped, so it matches only itself.</summary>
    private static string LikeEscaped(string text) => text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
}
