using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Internal.Registry;

/// <summary>Calls a bound handler and awaits whatever it returns (void, Task, ValueTask, Task&lt;T&gt;, ValueTask&lt;T&gt;).</summary>
internal static class HandlerInvoker
{
    /// <summary>Invokes the handler; <paramref name="scope"/> is null when it needs none (<see cref="SignalHandlerDescriptor.NeedsScope"/>).</summary>
    public static async Task InvokeAsync(SignalHandlerDescriptor handler, object?[] args, IServiceProvider? scope)
    {
        var result = Call(handler, args, scope);
        switch (result)
        {
            case Task task:
                await task;
                break;
            case ValueTask valueTask:
                await valueTask;
                break;
            case not null when result.GetType() is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(ValueTask<>):
                var asTask = (Task)t.GetMethod(nameof(ValueTask<int>.AsTask))!.Invoke(result, null)!;
                await asTask;
                break;
        }
    }

    /// <summary>Invokes a remote function and gives its return value, awaited as its declared return type says (null for none).</summary>
    public static async ValueTask<object?> InvokeFunctionAsync(SignalHandlerDescriptor handler, object?[] args, IServiceProvider? scope) =>
        await handler.Returns.AwaitAsync(Call(handler, args, scope));

    /// <summary>Calls the method (creating its instance from DI when it needs one); what it throws is rethrown as is.</summary>
    private static object? Call(SignalHandlerDescriptor handler, object?[] args, IServiceProvider? scope)
    {
        var target = handler.Target;
        if (target is null && !handler.Method.IsStatic)
        {
            target = ActivatorUtilities.GetServiceOrCreateInstance(
                scope ?? throw new InvalidOperationException($"{handler.DisplayName} is created from DI but was invoked without a scope."),
                handler.Method.DeclaringType!);
        }
        try
        {
            return handler.Method.Invoke(target, BindingFlags.DoNotWrapExceptions, binder: null, args, culture: null);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
