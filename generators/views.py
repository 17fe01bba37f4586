from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseLocation

from accounts.decorators import workspace_member_required
from accounts.roles import Capability
from core.tasks import enqueue
from generators.forms import GenerateForm, SaveStrategyForm
from generators.models import Generation
from generators.selectors import generation_list
from generators.services import generation_create, generation_save_as_strategy
from generators.tasks import run_generation
from generators.types import PARTS

HISTORY_LENGTH = 20
PART_TITLES = {"positioning": "Positioning canvas", "email_pack": "Email pack", "enrichment": "Enrichment blueprint"}


def _generation_for(request, pk) -> Generation:
    """Generation `pk` of the current workspace; another workspace's is a 404."""
    return get_object_or_404(Generation.objects.for_workspace(request.workspace).select_related("campaign"), pk=pk)


def generation_url(generation: Generation) -> str:
    return reverse("generate:detail", kwargs={"pk": generation.pk})


def _page_context(request, *, form, generation=None, strategy_form=None) -> dict:
    context = {
        "form": form,
        "generation": generation,
        "history": generation_list(workspace=request.workspace)[:HISTORY_LENGTH],
    }
    if generation is not None:
        context.update(_generation_context(request, generation, strategy_form=strategy_form))
    return context


def _generation_context(request, generation: Generation, *, strategy_form=None) -> dict:
    can_save = (request.membership.can(Capability.EDIT)
                and (generation.parts.get("positioning") or {}).get("status") == "completed")
    return {
        "generation": generation,
        "parts": [_part_view(generation, name) for name in generation.part_names],
        "strategy_form": strategy_form or (SaveStrategyForm(workspace=request.workspace,
                                                            initial={"campaign": generation.campaign_id})
                                           if can_save else None),
    }


def _part_view(generation: Generation, name: str) -> dict:
    state = generation.parts.get(name) or {"status": "queued", "error": None, "duration_ms": None}
    return {"name": name, "title": PART_TITLES[name], "result": generation.result.get(name), **state}


@vary_on_headers("HX-Request")
@workspace_member_required()
def generate_page(request):
    """The Generate page: the form, and the generations so far."""
    form = GenerateForm(request.POST or None, workspace=request.workspace)
    if request.method == "POST":
        if not request.membership.can(Capability.EDIT):
            raise PermissionDenied("Your role cannot generate.")
        if form.is_valid():
            generation = generation_create(
                workspace=request.workspace, user=request.user, kind=form.cleaned_data["kind"],
                website=form.cleaned_data["website"], icp=form.cleaned_data["icp"],
                campaign=form.cleaned_data["campaign"], refresh=form.cleaned_data["refresh"],
            )
            # Runs in a worker (or a background thread when embedded): the page it opens
            # watches the parts fill in over the websocket.
            enqueue(run_generation, generation.pk)
            url = generation_url(generation)
            return HttpResponseLocation(url) if request.htmx else redirect(url)
        if request.htmx:
            return render(request, "generators/generate.html#generate-form", {"form": form}, status=422)
    return render(request, "generators/generate.html", _page_context(request, form=form),
                  status=422 if form.is_bound else 200)


@workspace_member_required()
def generation_detail(request, pk):
    """One generation: live while it runs, the finished assets once done, the form prefilled."""
    generation = _generation_for(request, pk)
    form = GenerateForm(initial=GenerateForm.initial_from(generation), workspace=request.workspace)
    if request.htmx and request.htmx.target == "generation-extras":
        return render(request, "generators/generate.html#generation-extras", _generation_context(request, generation))
    return render(request, "generators/generate.html", _page_context(request, form=form, generation=generation))


@workspace_member_required()
def generation_part(request, pk, part):
    """One part's finished result, rendered: the page swaps it in when the part completes."""
    if part not in PARTS:
        raise Http404("No such part.")
    generation = _generation_for(request, pk)
    if part not in generation.part_names:
        raise Http404("This generation has no such part.")
    return render(request, "generators/_part.html", {"generation": generation, "part": _part_view(generation, part)})


@require_POST
@workspace_member_required(Capability.EDIT)
def generation_save_strategy(request, pk):
    """Save the positioning as the chosen campaign's next strategy version."""
    generation = _generation_for(request, pk)
    form = SaveStrategyForm(request.POST, workspace=request.workspace)
    if form.is_valid():
        campaign = form.cleaned_data["campaign"]
        try:
            strategy = generation_save_as_strategy(generation=generation, campaign=campaign, author=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Saved the positioning as strategy version {strategy.version} of “{campaign.name}”.")
            url = reverse("campaigns:detail", kwargs={"pk": campaign.pk}) + "?tab=strategy"
            return HttpResponseLocation(url) if request.htmx else redirect(url)
    context = _generation_context(request, generation, strategy_form=form)
    template = "generators/generate.html#generation-extras" if request.htmx else "generators/generate.html"
    if not request.htmx:
        context = _page_context(request, form=GenerateForm(initial=GenerateForm.initial_from(generation),
                                                           workspace=request.workspace),
                                generation=generation, strategy_form=form)
    return render(request, template, context, status=422)
