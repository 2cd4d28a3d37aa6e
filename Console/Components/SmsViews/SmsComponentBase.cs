using TasksConsole.Components.Shared;

namespace TasksConsole.Components.SmsViews;

/// <summary>A component of the SMS pages that hands calls' outcomes to views which show problems at their own fields.</summary>
public abstract class SmsComponentBase : ApiComponentBase
{
    /// <summary>The outcome of <paramref name="call"/>, its problem not shown by this component (the view given it shows it).</summary>
    protected async Task<ApiOutcome<T>> OutcomeOfAsync<T>(Func<CancellationToken, Task<T>> call) where T : class
    {
        T? value = null;
        var problem = await ProblemOfAsync(async cancellationToken => value = await call(cancellationToken));
        return new ApiOutcome<T>(value, problem);
    }
}
