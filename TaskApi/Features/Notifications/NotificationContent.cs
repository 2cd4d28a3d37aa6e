using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Notifications.CreateNotification;
using TaskApi.Features.Templates;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Notifications;

/// <summary>A notification's title and HTML: the request's own, or its template's subject and HTML, copied.</summary>
public sealed record NotificationContent(string Title, string? Html)
{
    /// <summary>
    /// The content of a valid request; null when its template does not exist. The template stays locked until the
    /// caller's transaction ends, so it is not deleted from under what copies it (RowLocks).
    /// </summary>
    public static async Task<NotificationContent?> OfAsync(TasksDbContext db, CreateNotificationRequest request, CancellationToken ct)
    {
        if (request.TemplateId is not { } templateId)
        {
            return new NotificationContent(request.Title!, request.Html);
        }
        if ((await db.LockForShareAsync<EmailTemplate>([templateId], ct)).Count == 0)
        {
            return null;
        }
        var template = await db.EmailTemplates.AsNoTracking().SingleAsync(t => t.Id == templateId, ct);
        return new NotificationContent(template.Subject, template.Html);
    }

    public static string UnknownTemplate(long templateId) => $"No template has id {templateId}.";
}
