"""The template designer: trainers make and change workbook templates without code or YAML.

``workbooks/ontwerpen.ipynb`` shows :func:`designer_page` (in Voilà at
``…/voila/render/ontwerpen.ipynb``, ``?taal=en`` for English; in JupyterLab too). The logic
lives in plain objects that tests drive without a browser:

- :mod:`.model`: :class:`TemplateDraft`, the template being made (mutable dataclasses that
  write the data of a template file), ids that follow renames, and :func:`check`, which runs
  what ``netwerk template validate`` runs;
- :mod:`.page`: :class:`Designer`, the widgets over a draft (four tabs), with the first and
  last tab in :mod:`.starting` and :mod:`.saving`, the live preview in :mod:`.preview`;
- :mod:`.editors` and :mod:`.views`: the editors of the template, a block, a question and a
  block's results view; :mod:`.fields`: a field with its problems, texts in two languages;
- :mod:`.sessions`: links of a started session; :func:`start_session` (from
  :mod:`netwerk_widgets.sessions`) starts one, as ``netwerk session create`` does.
"""

from __future__ import annotations

from ..sessions import start_session
from .model import TemplateDraft, check
from .page import Designer, designer_page

__all__ = ["Designer", "TemplateDraft", "check", "designer_page", "start_session"]
