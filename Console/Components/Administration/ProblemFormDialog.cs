using Microsoft.AspNetCore.Components;
using MudBlazor;
using TasksConsole.Api;

namespace TasksConsole.Components.Administration;

/// <summary>
/// A dialog with a form whose submission the page makes (<see cref="Submit"/>): the dialog closes with the value when the
/// call succeeded, and otherwise stays open with the problem, its messages at the fields they name.
/// </summary>
/// <typeparam name="TValue">What the form makes.</typeparam>
public abstract class ProblemFormDialog<TValue> : ComponentBase
{
    [CascadingParameter]
    protected IMudDialogInstance Dialog { get; set; } = null!;

    /// <summary>Makes the call; its problem, or null when it succeeded.</summary>
    [Parameter, EditorRequired]
    public Func<TValue, Task<ApiProblemException?>> Submit { get; set; } = null!;

    /// <summary>The problem of the last submission.</summary>
    protected ApiProblemException? Problem { get; private set; }

    /// <summary>While a submission is under way (its button is disabled, so a double click sends one).</summary>
    protected bool Submitting { get; private set; }

    /// <summary>The message of the problem about <paramref name="field"/>, shown at that field.</summary>
    protected string? ErrorAt(string field) => Problem?.MessageFor(field);

    protected async Task SubmitAsync(TValue value)
    {
        Submitting = true;
        try
        {
            Problem = await Submit(value);
        }
        finally
        {
            Submitting = false;
        }
        if (Problem is null)
        {
            Dialog.Close(DialogResult.Ok(value));
        }
    }

    protected void Cancel() => Dialog.Cancel();
}
