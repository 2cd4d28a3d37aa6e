using FluentValidation;

namespace TaskApi.Infrastructure;

/// <summary>
/// The one place FluentValidation runs: every handler argument whose type has a registered
/// <see cref="IValidator{T}"/> is validated before the handler, and failures become a 400 ValidationProblem
/// keyed by the offending field.
/// </summary>
public static class ValidationFilter
{
    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var validated = context.MethodInfo.GetParameters()
            .Select((parameter, index) => (Index: index, ValidatorType: typeof(IValidator<>).MakeGenericType(parameter.ParameterType)))
            .Where(p => context.ApplicationServices.GetService(p.ValidatorType) is not null)
            .ToArray();
        if (validated.Length == 0)
        {
            return next;
        }

        return async invocation =>
        {
            foreach (var (index, validatorType) in validated)
            {
                if (invocation.Arguments[index] is not { } argument)
                {
                    continue;
                }
                var validator = (IValidator)invocation.HttpContext.RequestServices.GetRequiredService(validatorType);
                var result = await validator.ValidateAsync(new ValidationContext<object>(argument), invocation.HttpContext.RequestAborted);
                if (!result.IsValid)
                {
                    return TypedResults.ValidationProblem(result.ToDictionary());
                }
            }
            return await next(invocation);
        };
    }
}
