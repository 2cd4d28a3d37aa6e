using System.Text.Encodings.Web;

namespace TaskApi.Features.Tracking.Unsubscribe;

/// <summary>The pages a recipient sees when following an unsubscribe link: small, self-contained, no scripts.</summary>
public static class UnsubscribePages
{
    public static IResult Confirm(UnsubscribeRecipient recipient, string token) => Page(StatusCodes.Status200OK, "Unsubscribe",
        recipient.Unsubscribed
            ? $"<p>{Encode(recipient.Email)} is already unsubscribed from {Lists(recipient)}.</p>"
            : $"""
               <p>Stop sending {Encode(recipient.Email)} emails from {Lists(recipient)}?</p>
               <form method="post" action="/u/{Encode(token)}">
                 <input type="hidden" name="List-Unsubscribe" value="One-Click">
                 <button type="submit">Unsubscribe</button>
               </form>
               """);

    public static IResult Done(UnsubscribeRecipient recipient) => Page(StatusCodes.Status200OK, "Unsubscribed",
        $"<p>{Encode(recipient.Email)} will receive no more emails from {Lists(recipient)}.</p>");

    public static IResult NotFound() => Page(StatusCodes.Status404NotFound, "Link not found",
        "<p>This unsubscribe link is not one of ours, or its email no longer exists.</p>");

    private static string Lists(UnsubscribeRecipient recipient) =>
        recipient.ListNames.Count == 0 ? "these lists" : string.Join(", ", recipient.ListNames.Select(name => $"“{Encode(name)}”"));

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);

    private static IResult Page(int status, string title, string body) => TypedResults.Content($"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{title}</title></head>
        <body style="font-family: sans-serif; max-width: 40em; margin: 3em auto"><h1>{title}</h1>
        {body}
        </body></html>
        """, "text/html; charset=utf-8", statusCode: status);
}
